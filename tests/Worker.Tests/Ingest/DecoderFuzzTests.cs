using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Tests.Ingest;

/// <summary>
/// Mutated JPEG, PNG and WebP files through the whole decoding path: every one is either accepted or refused
/// with a reason, within the time limit; none crashes, hangs or escapes as another exception.
/// </summary>
public sealed class DecoderFuzzTests
{
    private const int MutantsPerFormat = 120;
    private static readonly ImageInspector Inspector = new(Options.Create(new IngestOptions { MinWidth = 16, MinHeight = 16 }));

    [Theory]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    public async Task Mutated_files_are_accepted_or_refused_never_crash_or_hang(string format)
    {
        var seed = format switch { "jpeg" => TestImages.Jpeg(320, 240, 31), "png" => TestImages.Png(320, 240, 32), _ => TestImages.Webp(320, 240, 33) };
        var random = new Random(format.GetHashCode(StringComparison.Ordinal) & 0x7fffffff);
        var outcomes = new Dictionary<string, int>();

        for (var i = 0; i < MutantsPerFormat; i++)
        {
            var mutant = Mutate(seed, random);
            var outcome = await Task.Run(() =>
            {
                try
                {
                    Inspector.Inspect(mutant);
                    return "accepted";
                }
                catch (ImageRefusedException refused)
                {
                    return refused.Reason.ToString();
                }
            }).WaitAsync(TimeSpan.FromSeconds(10));
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        Assert.Equal(MutantsPerFormat, outcomes.Values.Sum());
        Assert.True(outcomes.Keys.Count > 1, $"mutations should produce both acceptances and refusals: {string.Join(", ", outcomes)}");
    }

    /// <summary>The classic mutations: flipped bytes, overwritten runs, cuts, duplicated and inserted chunks.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    for (var k = 0; k < 16 && at + k < bytes.Count; k++) bytes[at + k] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(new byte[random.Next(3)]);
                    break;
                case 3:
                    bytes.InsertRange(at, bytes.Skip(random.Next(bytes.Count)).Take(random.Next(64)).ToList());
                    break;
                case 4:
                    bytes[at] = random.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
                    break;
                default:
                    // Header fields (sizes, lengths) live near the start: hit them often.
                    var header = random.Next(Math.Min(64, bytes.Count));
                    bytes[header] = (byte)random.Next(256);
                    break;
            }
            if (bytes.Count == 0) bytes.Add(0);
        }
        return [.. bytes];
    }
}

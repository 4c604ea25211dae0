using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class PerceptualHashTests
{
    private readonly ImageInspector _inspector = new(Options.Create(new IngestOptions()));

    private long Hash(byte[] bytes) => _inspector.Inspect(bytes).PerceptualHash;

    [Fact]
    public void Re_encoding_and_resizing_move_only_a_few_bits()
    {
        var original = Hash(TestImages.Jpeg(800, 600, seed: 5, quality: 95));

        var recompressed = Hash(TestImages.Jpeg(800, 600, seed: 5, quality: 60));
        using var picture = TestImages.Picture(800, 600, 5);
        picture.Mutate(x => x.Resize(400, 300));
        using var smaller = new MemoryStream();
        picture.SaveAsPng(smaller);

        Assert.InRange(ImageLookup.Distance(original, recompressed), 0, 4);
        Assert.InRange(ImageLookup.Distance(original, Hash(smaller.ToArray())), 0, 4);
    }

    [Fact]
    public void Different_pictures_are_far_apart()
    {
        var hashes = Enumerable.Range(0, 12).Select(seed => Hash(TestImages.Jpeg(640, 480, seed: 100 + seed))).ToList();

        var closest = hashes.SelectMany((a, i) => hashes.Skip(i + 1).Select(b => ImageLookup.Distance(a, b))).Min();

        Assert.True(closest > 7, $"the closest pair of different pictures is {closest} bits apart");
    }

    [Fact]
    public void The_bands_reassemble_the_hash()
    {
        const long hash = unchecked((long)0xDEADBEEF01234567UL);
        var rebuilt = Enumerable.Range(0, 4).Aggregate(0L, (acc, band) => acc | (ImageLookup.Band(hash, band) << (48 - 16 * band)));
        Assert.Equal(hash, rebuilt);
    }
}

using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Model.Diffusion;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>A held-out image for evaluation: its labels (the requested values) and how the model sees it.</summary>
public sealed record HeldOutImage(DaringImage Image, DaringExample Example);

/// <summary>
/// Scores a Daring model per body-part group on held-out images, whose attribute combinations it never trained on:
/// generates one image from each one's caption and asks the captioner which of the requested values it sees
/// (alignment), and measures on the held-out photos themselves, noised to several levels, how much of each
/// group's cross-attention lies inside the group's mask.
/// </summary>
public static class DaringEvaluation
{
    private static readonly int[] NoiseLevels = [250, 500, 750];

    public static IReadOnlyList<GroupScore> Score(DaringModel model, IReadOnlyList<HeldOutImage> heldOut, CaptionerModel? captioner,
        TaxonomyVersion taxonomy, int seed, int steps, double guidance)
    {
        var attention = model.AttentionInMask(heldOut.Select(h => h.Example).ToList(), NoiseLevels.Select(t => t * model.Schedule.Timesteps / 1000).ToList(), seed);
        var alignment = captioner is null ? [] : Alignment(model, heldOut, captioner, seed, steps, guidance);
        return taxonomy.Groups.OrderBy(g => g.Position)
            .Where(g => attention.ContainsKey(g.Key) || alignment.ContainsKey(g.Key))
            .Select(g =>
            {
                var (found, requested) = alignment.GetValueOrDefault(g.Key);
                var (share, measured) = attention.GetValueOrDefault(g.Key);
                return new GroupScore(g.Key, g.Name, requested == 0 ? null : (double)found / requested, requested, measured == 0 ? null : share / measured);
            }).ToList();
    }

    /// <summary>Per group: requested values the captioner found in the generated images, and values requested.</summary>
    private static Dictionary<string, (int Found, int Requested)> Alignment(DaringModel model, IReadOnlyList<HeldOutImage> heldOut, CaptionerModel captioner,
        int seed, int steps, double guidance)
    {
        var result = new Dictionary<string, (int Found, int Requested)>();
        var discretizer = model.Discretizer();
        for (var i = 0; i < heldOut.Count; i++)
        {
            var caption = discretizer.Compose(heldOut[i].Image.Groups);
            var said = caption.Groups.Select(g => g.Key).ToHashSet();
            var generated = model.Generate(caption, [seed + i], guidance, steps)[0];
            var prediction = captioner.Predict([Resize(generated.Pixels, model.Spec.ImageSize, captioner.Spec.ImageSize)])[0];
            for (var h = 0; h < captioner.Spec.Heads.Count; h++)
            {
                var head = captioner.Spec.Heads[h];
                var group = head.Attribute.Split('.')[0];
                // Only what the caption asked for counts: attributes of dropped or cut groups were never requested.
                if (!said.Contains(group) || !heldOut[i].Image.Labels.TryGetValue(head.Attribute, out var requested)) continue;
                var predicted = prediction.Heads[h].Values.Select(v => head.Values[v]).ToHashSet();
                var (found, count) = result.GetValueOrDefault(group);
                result[group] = (found + requested.Count(predicted.Contains), count + requested.Length);
            }
        }
        return result;
    }

    /// <summary>RGB pixels from one square size to another, nearest neighbour (the sizes are powers of two apart or equal).</summary>
    private static byte[] Resize(byte[] pixels, int from, int to)
    {
        if (from == to) return pixels;
        var resized = new byte[to * to * 3];
        for (var y = 0; y < to; y++)
            for (var x = 0; x < to; x++)
                Array.Copy(pixels, (y * from / to * from + x * from / to) * 3, resized, (y * to + x) * 3, 3);
        return resized;
    }

    public static double? Mean(IEnumerable<double?> values) => values.OfType<double>().DefaultIfEmpty(double.NaN).Average() is var mean && double.IsNaN(mean) ? null : mean;
}

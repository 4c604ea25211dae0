using System.Text.Json;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>One output head: an attribute of the taxonomy and its vocabulary, by key (stable across taxonomy versions).</summary>
public sealed record HeadSpec(string Attribute, IReadOnlyList<string> Values, bool MultipleChoice);

/// <summary>
/// The shape of a captioner: input size, encoder widths, and one head per attribute. Saved beside the weights,
/// so a model keeps working when the taxonomy grows (new attributes simply have no head yet).
/// </summary>
public sealed record CaptionerSpec(int ImageSize, IReadOnlyList<int> Widths, IReadOnlyList<HeadSpec> Heads)
{
    /// <summary>Sized for CPU: 64 px input, four convolution stages.</summary>
    public static IReadOnlyList<int> SmallWidths { get; } = [32, 64, 128, 192];

    public int OutputCount => Heads.Sum(h => h.Values.Count) + 1;

    /// <summary>Where each head's logits start in the output; the last output is the "usable photo" logit.</summary>
    public int[] Offsets()
    {
        var offsets = new int[Heads.Count];
        for (int i = 0, at = 0; i < Heads.Count; at += Heads[i].Values.Count, i++) offsets[i] = at;
        return offsets;
    }

    public int UsableIndex => OutputCount - 1;

    public string ToJson() => JsonSerializer.Serialize(this);

    public static CaptionerSpec FromJson(string json) =>
        JsonSerializer.Deserialize<CaptionerSpec>(json) ?? throw new InvalidDataException("The captioner spec is empty.");
}

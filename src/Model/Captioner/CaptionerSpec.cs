using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// One output head: an attribute of the taxonomy and its vocabulary, by key (stable across taxonomy versions), and
/// the human-parsing classes where its group lives (its region; none: the whole picture).
/// </summary>
public sealed record HeadSpec(string Attribute, IReadOnlyList<string> Values, bool MultipleChoice, IReadOnlyList<short>? Region = null)
{
    public IReadOnlyList<short> RegionOrWhole => Region is { Count: > 0 } region ? region : CaptionerSpec.WholePicture;

    /// <summary>Whether <paramref name="other"/> is the same head: the same attribute, vocabulary in the same order, kind of choice and region.</summary>
    public bool Matches(HeadSpec other) => Attribute == other.Attribute && Values.SequenceEqual(other.Values) && MultipleChoice == other.MultipleChoice
        && RegionOrWhole.SequenceEqual(other.RegionOrWhole);
}

/// <summary>The captioner's encoder: the compact CNN sized for CPU, or ResNet-18, whose published ImageNet weights a user may start from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CaptionerBackbone>))]
public enum CaptionerBackbone
{
    Compact,
    ResNet18,
}

/// <summary>
/// The shape of a captioner: input size, encoder and its widths, and one head per attribute. Saved beside the weights,
/// so a model keeps working when the taxonomy grows (new attributes simply have no head yet).
/// </summary>
public sealed record CaptionerSpec(int ImageSize, IReadOnlyList<int> Widths, IReadOnlyList<HeadSpec> Heads, CaptionerBackbone Backbone = CaptionerBackbone.Compact)
{
    /// <summary>Sized for CPU (with the default 128 px input): four convolution stages.</summary>
    public static IReadOnlyList<int> SmallWidths { get; } = [32, 64, 128, 192];

    /// <summary>
    /// With ResNet-18: the face branch's stages as the compact encoder's, then ResNet-18's feature and deep widths
    /// (<see cref="ResNet18Backbone"/>), which are fixed.
    /// </summary>
    public static IReadOnlyList<int> ResNet18Widths { get; } = [32, 64, ResNet18Backbone.FeatureWidth, ResNet18Backbone.DeepWidth];

    /// <summary>The ATR human-parsing scheme's 18 classes (class 0 is background).</summary>
    public const int ParsingClassCount = 18;

    /// <summary>A class id read from a parsing map: ids outside the scheme (a map of another scheme, a stray value) count as background.</summary>
    public static int SchemeClass(byte value) => value < ParsingClassCount ? value : 0;

    /// <summary>Each class's class in a mirrored picture: left and right trade places (shoes, legs, arms).</summary>
    public static IReadOnlyList<byte> MirroredClass { get; } = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 9, 11, 13, 12, 15, 14, 16, 17];

    public static IReadOnlyList<short> WholePicture { get; } = Enumerable.Range(0, ParsingClassCount).Select(c => (short)c).ToArray();

    public int OutputCount => Heads.Sum(h => h.Values.Count) + 1;

    /// <summary>The distinct regions the heads look at, in order of first use.</summary>
    public IReadOnlyList<IReadOnlyList<short>> Regions()
    {
        var regions = new List<IReadOnlyList<short>>();
        foreach (var head in Heads)
            if (!regions.Any(r => r.SequenceEqual(head.RegionOrWhole))) regions.Add(head.RegionOrWhole);
        return regions;
    }

    /// <summary>For every value output (not the "usable" logit), the index of its head's region in <see cref="Regions"/>.</summary>
    public int[] RegionOfOutputs()
    {
        var regions = Regions().ToList();
        return Heads.SelectMany(h => Enumerable.Repeat(regions.FindIndex(r => r.SequenceEqual(h.RegionOrWhole)), h.Values.Count)).ToArray();
    }

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

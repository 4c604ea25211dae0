using System.ComponentModel.DataAnnotations;
using AnnotateAnyone.Model.Diffusion;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>The Daring model's size on this Worker (GPU nodes configure wider ones) and its evaluation budget.</summary>
public sealed class DaringOptions
{
    public const string Section = "Daring";

    /// <summary>Channels per UNet block (Daring__BlockChannels__0=...); unset, the CPU-sized default. Null by default: the binder appends to filled arrays.</summary>
    public int[]? BlockChannels { get; set; }

    /// <summary>Which blocks carry cross-attention, one per block; unset, all but the first.</summary>
    public bool[]? CrossAttention { get; set; }

    [Range(1, 8)]
    public int LayersPerBlock { get; set; } = 1;

    [Range(1, 64)]
    public int AttentionHeads { get; set; } = 2;

    [Range(1, 64)]
    public int NormGroups { get; set; } = 8;

    [Range(8, 2048)]
    public int TextWidth { get; set; } = 64;

    [Range(1, 24)]
    public int TextLayers { get; set; } = 2;

    [Range(1, 64)]
    public int Threads { get; set; } = Math.Min(Environment.ProcessorCount, 8);

    /// <summary>Held-out images the evaluation generates from and measures attention on.</summary>
    [Range(1, 10_000)]
    public int EvaluationImages { get; set; } = 24;

    [Range(1, 1000)]
    public int EvaluationSteps { get; set; } = 20;

    [Range(0, 30)]
    public double EvaluationGuidance { get; set; } = 3;

    /// <summary>Share of a round's verified images held out for evaluation (by SHA-256); releases bring their own split.</summary>
    [Range(0.01, 0.5)]
    public double ValidationShare { get; set; } = 0.15;

    /// <summary>The spec of a new model at a resolution, with the taxonomy's vocabulary; HOLA reads the coarsest attention level.</summary>
    public DiffusionSpec Spec(int resolution, IReadOnlyList<string> vocabulary)
    {
        var channels = BlockChannels ?? [32, 64, 96];
        return new DiffusionSpec
        {
            ImageSize = resolution,
            BlockChannels = channels,
            CrossAttention = CrossAttention ?? channels.Select((_, i) => i > 0).ToArray(),
            LayersPerBlock = LayersPerBlock,
            AttentionHeads = AttentionHeads,
            NormGroups = NormGroups,
            TextWidth = TextWidth,
            TextLayers = TextLayers,
            Vocabulary = vocabulary,
            HolaResolution = resolution >> (channels.Length - 1),
        };
    }
}

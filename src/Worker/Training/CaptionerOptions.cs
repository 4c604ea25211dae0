using System.ComponentModel.DataAnnotations;
using AnnotateAnyone.Model.Captioner;

namespace AnnotateAnyone.Worker.Training;

public sealed class CaptionerOptions
{
    public const string Section = "Captioner";

    /// <summary>
    /// Input side in pixels, a multiple of 32; 128 trains in minutes on two CPU cores (the stem's strided convolution
    /// keeps its cost near a 64 px input's), GPU nodes can afford more.
    /// </summary>
    [Range(32, 512)]
    public int ImageSize { get; set; } = 128;

    /// <summary>
    /// The encoder: the compact CNN sized for CPU, or ResNet-18 (11 million weights: for GPU nodes, or for starting from
    /// the ImageNet weights torchvision and timm publish, <see cref="PretrainedEncoder"/>). Another choice than the active
    /// version's starts a retraining afresh.
    /// </summary>
    public CaptionerBackbone Backbone { get; set; } = CaptionerBackbone.Compact;

    /// <summary>
    /// Channels of the encoder's stages (one 2x down-sampling each), when set (Captioner__Widths__0=64 ...);
    /// unset, the CPU-sized default. Null rather than filled by default: the configuration binder appends to a filled array.
    /// With ResNet-18 the first two are the face branch's and the last two are ResNet-18's own (128, 512).
    /// </summary>
    public int[]? Widths { get; set; }

    public IReadOnlyList<int> EncoderWidths => Widths ?? (Backbone == CaptionerBackbone.ResNet18 ? CaptionerSpec.ResNet18Widths : CaptionerSpec.SmallWidths);

    /// <summary>The shape of a captioner trained with these settings, with <paramref name="heads"/>.</summary>
    public CaptionerSpec SpecFor(IReadOnlyList<HeadSpec> heads) => new(ImageSize, EncoderWidths, heads, Backbone);

    [Range(1, 1000)]
    public int Epochs { get; set; } = 20;

    [Range(1, 4096)]
    public int BatchSize { get; set; } = 32;

    [Range(1e-6, 1)]
    public double LearningRate { get; set; } = 2e-3;

    [Range(1, 1_000_000)]
    public int CheckpointEvery { get; set; } = 200;

    /// <summary>
    /// Verified images to hold out (by SHA-256, so the split is stable) for evaluation, calibration and routing's
    /// evidence, kept between the two shares below (<see cref="HeldOutShare"/>). A thousand bound a common attribute's
    /// accuracy within about a point, enough for routing to trust it where it is good.
    /// </summary>
    [Range(0, 100_000_000)]
    public int HeldOutImages { get; set; } = 1_000;

    /// <summary>
    /// The most of the verified images held out, however few they are. On the flywheel benchmark a quarter left fewer
    /// labels to people than 15% or 30% (see README).
    /// </summary>
    [Range(0.01, 0.5)]
    public double MaxValidationShare { get; set; } = 0.25;

    /// <summary>The least held out, however many they are: rare attributes still need held-out labels.</summary>
    [Range(0.001, 0.5)]
    public double MinValidationShare { get; set; } = 0.02;

    /// <summary>Retraining starts from the active version's weights (same encoder shape), so learning accumulates round after round.</summary>
    public bool ContinueFromActive { get; set; } = true;

    /// <summary>A safetensors file with encoder weights ("encoder.*" keys) to start from instead of random weights.</summary>
    public string? PretrainedEncoder { get; set; }

    [Range(1, 64)]
    public int Threads { get; set; } = Math.Min(Environment.ProcessorCount, 8);

    /// <summary>Images per pre-annotation batch (one transaction each).</summary>
    [Range(1, 10_000)]
    public int InferenceBatch { get; set; } = 256;
}

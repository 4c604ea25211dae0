using System.Text.Json;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>
/// The shape of a Daring text-to-image model: the UNet (pixel space, diffusers' UNet2DConditionModel layout), the
/// text encoder and its vocabulary, and the noise schedule. Saved beside the weights, so a version loads without
/// the configuration it was trained with. The defaults train on two CPU cores at 64 x 64 in minutes; GPU nodes
/// take wider channels, more layers and larger images from configuration.
/// </summary>
public sealed record DiffusionSpec
{
    public int ImageSize { get; init; } = 64;

    /// <summary>diffusers' block_out_channels: one down block (and one up block) per entry, halving the resolution between them.</summary>
    public IReadOnlyList<int> BlockChannels { get; init; } = [32, 64, 96];

    /// <summary>Which down blocks carry cross-attention (CrossAttnDownBlock2D); the up blocks mirror them, the mid block always has it.</summary>
    public IReadOnlyList<bool> CrossAttention { get; init; } = [false, true, true];

    public int LayersPerBlock { get; init; } = 1;
    public int AttentionHeads { get; init; } = 2;
    public int NormGroups { get; init; } = 8;

    /// <summary>Width of the text encoder's token states (diffusers' cross_attention_dim).</summary>
    public int TextWidth { get; init; } = 64;

    public int TextLayers { get; init; } = 2;

    /// <summary>Tokens per caption including start and end, as CLIP's 77.</summary>
    public int MaxTokens { get; init; } = 77;

    /// <summary>The tokenizer's words, in id order after the special tokens.</summary>
    public IReadOnlyList<string> Vocabulary { get; init; } = [];

    public int TrainTimesteps { get; init; } = 1000;
    public double BetaStart { get; init; } = 1e-4;
    public double BetaEnd { get; init; } = 0.02;

    /// <summary>Side of the attention maps the HOLA loss and the overlays use (CosmicMan: H/16 of the latent's image; ours: the UNet's coarsest attention level).</summary>
    public int HolaResolution { get; init; } = 16;

    /// <summary>The side of each down block's feature map.</summary>
    public int ResolutionOf(int block) => ImageSize >> block;

    public string ToJson() => JsonSerializer.Serialize(this);

    public static DiffusionSpec FromJson(string json) =>
        JsonSerializer.Deserialize<DiffusionSpec>(json) ?? throw new InvalidDataException("The diffusion spec is empty.");

    /// <summary>Reasons the spec cannot build a model; empty when it can.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (BlockChannels.Count == 0 || BlockChannels.Count != CrossAttention.Count)
            problems.Add("BlockChannels and CrossAttention need one entry per block.");
        if (ImageSize < 8 || ImageSize % (1 << Math.Max(0, BlockChannels.Count - 1)) != 0)
            problems.Add($"ImageSize {ImageSize} must be divisible by 2^(blocks - 1).");
        if (BlockChannels.Any(c => c % NormGroups != 0 || c % AttentionHeads != 0))
            problems.Add($"Every block width must be divisible by NormGroups ({NormGroups}) and AttentionHeads ({AttentionHeads}).");
        if (TextWidth % AttentionHeads != 0) problems.Add($"TextWidth {TextWidth} must be divisible by AttentionHeads ({AttentionHeads}).");
        if (MaxTokens < 4) problems.Add("MaxTokens must be at least 4.");
        var attentionSides = Enumerable.Range(0, BlockChannels.Count).Where(b => CrossAttention[b]).Select(ResolutionOf).ToList();
        if (!attentionSides.Contains(HolaResolution))
            problems.Add($"HolaResolution {HolaResolution} is not the side of any cross-attention block ({string.Join(", ", attentionSides)}).");
        return problems;
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>
/// The denoiser: diffusers' UNet2DConditionModel with the same module tree and channel bookkeeping (conv_in,
/// time_embedding, down_blocks, mid_block, up_blocks, conv_norm_out, conv_out), predicting the noise of a noisy
/// image at a timestep given the caption's token states. Every cross-attention layer reports to the probe.
/// </summary>
public sealed class UNet2DConditionModel : Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Conv2d conv_in, conv_out;
    private readonly TimestepEmbedding time_embedding;
    private readonly ModuleList<DownBlock> down_blocks = new();
    private readonly MidBlock mid_block;
    private readonly ModuleList<UpBlock> up_blocks = new();
    private readonly GroupNorm conv_norm_out;

    public UNet2DConditionModel(DiffusionSpec spec, AttentionProbe? probe) : base(nameof(UNet2DConditionModel))
    {
        var channels = spec.BlockChannels;
        var blocks = channels.Count;
        var timeWidth = channels[0] * 4;
        conv_in = Conv2d(3, channels[0], 3, padding: 1);
        time_embedding = new TimestepEmbedding(channels[0], timeWidth);

        var previous = channels[0];
        for (var b = 0; b < blocks; b++)
        {
            down_blocks.Add(new DownBlock(previous, channels[b], spec.LayersPerBlock, timeWidth, spec, spec.CrossAttention[b],
                downsample: b < blocks - 1, probe, spec.ResolutionOf(b)));
            previous = channels[b];
        }
        mid_block = new MidBlock(channels[^1], timeWidth, spec, probe, spec.ResolutionOf(blocks - 1));

        // diffusers' rule: resnet j of up block i takes the previous output (first) or this block's width, plus a
        // skip of this block's width, except the last, whose skip comes from the next-shallower down block.
        previous = channels[^1];
        for (var i = 0; i < blocks; i++)
        {
            var level = blocks - 1 - i;
            var output = channels[level];
            var shallower = channels[Math.Max(level - 1, 0)];
            var inputs = Enumerable.Range(0, spec.LayersPerBlock + 1)
                .Select(j => (j == 0 ? previous : output, j == spec.LayersPerBlock ? shallower : output)).ToList();
            up_blocks.Add(new UpBlock(inputs, output, timeWidth, spec, spec.CrossAttention[level], upsample: i < blocks - 1, probe, spec.ResolutionOf(level)));
            previous = output;
        }
        conv_norm_out = Norms.Group(spec.NormGroups, channels[0], 1e-5);
        conv_out = Conv2d(channels[0], 3, 3, padding: 1);
        RegisterComponents();
    }

    /// <summary>Noisy images [batch, 3, size, size], timesteps [batch], token states [batch, tokens, width] → predicted noise.</summary>
    public override Tensor forward(Tensor noisy, Tensor timesteps, Tensor context)
    {
        var time = time_embedding.call(timesteps);
        var x = conv_in.call(noisy);
        var skips = new List<Tensor> { x };
        foreach (var block in down_blocks) x = block.Forward(x, time, context, skips);
        x = mid_block.Forward(x, time, context);
        foreach (var block in up_blocks) x = block.Forward(x, time, context, skips);
        return conv_out.call(functional.silu(conv_norm_out.call(x)));
    }
}

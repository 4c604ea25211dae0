using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Diffusion;

// Field names in this file are diffusers' attribute names: they become the state-dict keys
// ("down_blocks.1.attentions.0.transformer_blocks.0.attn2.to_k.weight"), which is what lets Stable Diffusion
// weights load into the same code.

/// <summary>diffusers' ResnetBlock2D: two normed 3 x 3 convolutions with the timestep embedding added between them.</summary>
public sealed class ResnetBlock2D : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm1, norm2;
    private readonly Conv2d conv1, conv2;
    private readonly Linear time_emb_proj;
    private readonly Conv2d? conv_shortcut;

    public ResnetBlock2D(int input, int output, int timeWidth, int groups) : base(nameof(ResnetBlock2D))
    {
        norm1 = Norms.Group(groups, input, 1e-5);
        conv1 = Conv2d(input, output, 3, padding: 1);
        time_emb_proj = Linear(timeWidth, output);
        norm2 = Norms.Group(groups, output, 1e-5);
        conv2 = Conv2d(output, output, 3, padding: 1);
        if (input != output) conv_shortcut = Conv2d(input, output, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor time)
    {
        var h = conv1.call(functional.silu(norm1.call(x)));
        h = h + time_emb_proj.call(functional.silu(time)).unsqueeze(-1).unsqueeze(-1);
        h = conv2.call(functional.silu(norm2.call(h)));
        return (conv_shortcut?.call(x) ?? x) + h;
    }
}

public sealed class Downsample2D : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Downsample2D(int channels) : base(nameof(Downsample2D))
    {
        conv = Conv2d(channels, channels, 3, stride: 2, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(x);
}

public sealed class Upsample2D : Module<Tensor, Tensor>
{
    private readonly Conv2d conv;

    public Upsample2D(int channels) : base(nameof(Upsample2D))
    {
        conv = Conv2d(channels, channels, 3, padding: 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => conv.call(functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest));
}

/// <summary>diffusers' TimestepEmbedding (linear_1, SiLU, linear_2) over the sinusoidal projection of the timestep.</summary>
public sealed class TimestepEmbedding : Module<Tensor, Tensor>
{
    private readonly Linear linear_1, linear_2;
    private readonly int _channels;

    public TimestepEmbedding(int channels, int width) : base(nameof(TimestepEmbedding))
    {
        linear_1 = Linear(channels, width);
        linear_2 = Linear(width, width);
        _channels = channels;
        RegisterComponents();
    }

    public override Tensor forward(Tensor timesteps) => linear_2.call(functional.silu(linear_1.call(Sinusoidal(timesteps, _channels))));

    /// <summary>diffusers' Timesteps(flip_sin_to_cos=True, downscale_freq_shift=0): [cos, sin] of geometric frequencies.</summary>
    public static Tensor Sinusoidal(Tensor timesteps, int channels)
    {
        var half = channels / 2;
        var frequencies = exp(arange(half, dtype: float32, device: timesteps.device) * (-Math.Log(10000) / half));
        var arguments = timesteps.to_type(float32).unsqueeze(1) * frequencies.unsqueeze(0);
        return cat([cos(arguments), sin(arguments)], 1);
    }
}

/// <summary>
/// A down block (diffusers' DownBlock2D, or CrossAttnDownBlock2D when it has attentions): resnets, each followed
/// by its transformer, then a stride-2 convolution unless it is the last block. Every output is kept as a skip.
/// </summary>
public sealed class DownBlock : Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();
    private readonly ModuleList<Downsample2D> downsamplers = new();

    public DownBlock(int input, int output, int layers, int timeWidth, DiffusionSpec spec, bool attention, bool downsample, AttentionProbe? probe, int side)
        : base(nameof(DownBlock))
    {
        for (var i = 0; i < layers; i++)
        {
            resnets.Add(new ResnetBlock2D(i == 0 ? input : output, output, timeWidth, spec.NormGroups));
            if (attention) attentions.Add(new Transformer2DModel(output, spec.TextWidth, spec.AttentionHeads, spec.NormGroups, probe, side));
        }
        if (downsample) downsamplers.Add(new Downsample2D(output));
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor time, Tensor context, List<Tensor> skips)
    {
        for (var i = 0; i < resnets.Count; i++)
        {
            x = resnets[i].call(x, time);
            if (attentions.Count > 0) x = attentions[i].call(x, context);
            skips.Add(x);
        }
        foreach (var down in downsamplers)
        {
            x = down.call(x);
            skips.Add(x);
        }
        return x;
    }
}

/// <summary>An up block (UpBlock2D or CrossAttnUpBlock2D): one more resnet than its down block, each eating a skip, then 2x nearest up-sampling unless last.</summary>
public sealed class UpBlock : Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();
    private readonly ModuleList<Upsample2D> upsamplers = new();

    public UpBlock(IReadOnlyList<(int Input, int Skip)> resnetInputs, int output, int timeWidth, DiffusionSpec spec, bool attention, bool upsample, AttentionProbe? probe, int side)
        : base(nameof(UpBlock))
    {
        foreach (var (input, skip) in resnetInputs)
        {
            resnets.Add(new ResnetBlock2D(input + skip, output, timeWidth, spec.NormGroups));
            if (attention) attentions.Add(new Transformer2DModel(output, spec.TextWidth, spec.AttentionHeads, spec.NormGroups, probe, side));
        }
        if (upsample) upsamplers.Add(new Upsample2D(output));
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor time, Tensor context, List<Tensor> skips)
    {
        for (var i = 0; i < resnets.Count; i++)
        {
            var skip = skips[^1];
            skips.RemoveAt(skips.Count - 1);
            x = resnets[i].call(cat([x, skip], 1), time);
            if (attentions.Count > 0) x = attentions[i].call(x, context);
        }
        foreach (var up in upsamplers) x = up.call(x);
        return x;
    }
}

/// <summary>diffusers' UNetMidBlock2DCrossAttn: resnet, transformer, resnet.</summary>
public sealed class MidBlock : Module
{
    private readonly ModuleList<ResnetBlock2D> resnets = new();
    private readonly ModuleList<Transformer2DModel> attentions = new();

    public MidBlock(int channels, int timeWidth, DiffusionSpec spec, AttentionProbe? probe, int side) : base(nameof(MidBlock))
    {
        resnets.Add(new ResnetBlock2D(channels, channels, timeWidth, spec.NormGroups));
        attentions.Add(new Transformer2DModel(channels, spec.TextWidth, spec.AttentionHeads, spec.NormGroups, probe, side));
        resnets.Add(new ResnetBlock2D(channels, channels, timeWidth, spec.NormGroups));
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor time, Tensor context) =>
        resnets[1].call(attentions[0].call(resnets[0].call(x, time), context), time);
}

internal static class Norms
{
    /// <summary>
    /// GroupNorm with its affine parameters set explicitly to ones and zeros: TorchSharp 0.107's GroupNorm leaves
    /// the bias uninitialised (it held NaN in our tests), which poisons a fresh model.
    /// </summary>
    public static GroupNorm Group(int groups, int channels, double eps)
    {
        var norm = GroupNorm(groups, channels, eps: eps);
        using var _ = no_grad();
        norm.weight!.fill_(1);
        norm.bias!.zero_();
        return norm;
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>
/// Collects cross-attention probabilities of one resolution while it is switched on: the HOLA loss reads them
/// with their gradients during training, the sampler averages them into overlays. Off, it costs nothing.
/// </summary>
public sealed class AttentionProbe(int resolution)
{
    private readonly List<Tensor> _maps = [];

    public int Resolution { get; } = resolution;

    public bool Recording { get; set; }

    /// <summary>Each recorded layer's probabilities, averaged over heads: [batch, pixels, tokens].</summary>
    public IReadOnlyList<Tensor> Maps => _maps;

    internal void Offer(int side, Func<Tensor> headMean)
    {
        if (Recording && side == Resolution) _maps.Add(headMean());
    }

    public void Clear() => _maps.Clear();
}

/// <summary>
/// diffusers' Attention (to_q, to_k, to_v, to_out.0), written out by hand rather than with a fused kernel so the
/// probabilities exist as a tensor: a cross-attention layer hands them, with their gradient, to the probe.
/// </summary>
public sealed class Attention : Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear to_q, to_k, to_v;
    private readonly ModuleList<Module<Tensor, Tensor>> to_out;
    private readonly int _heads;
    private readonly AttentionProbe? _probe;
    private readonly int _side;

    /// <param name="side">The side of the square feature map this layer attends from (what the probe filters on).</param>
    public Attention(int width, int contextWidth, int heads, AttentionProbe? probe = null, int side = 0) : base(nameof(Attention))
    {
        to_q = Linear(width, width, hasBias: false);
        to_k = Linear(contextWidth, width, hasBias: false);
        to_v = Linear(contextWidth, width, hasBias: false);
        to_out = ModuleList<Module<Tensor, Tensor>>(Linear(width, width), Dropout(0.0));
        _heads = heads;
        _probe = probe;
        _side = side;
        RegisterComponents();
    }

    /// <summary>x [batch, pixels, width]; context [batch, tokens, contextWidth] (null: self-attention).</summary>
    public override Tensor forward(Tensor x, Tensor? context)
    {
        var source = context ?? x;
        var (batch, length) = (x.shape[0], x.shape[1]);
        var q = Split(to_q.call(x));
        var k = Split(to_k.call(source));
        var v = Split(to_v.call(source));
        var scale = 1.0 / Math.Sqrt(q.shape[^1]);
        var probabilities = matmul(q, k.transpose(-1, -2)).mul_(scale).softmax(-1);
        if (context is not null) _probe?.Offer(_side, () => probabilities.mean([1]));
        var attended = matmul(probabilities, v).transpose(1, 2).reshape(batch, length, -1);
        return to_out[1].call(to_out[0].call(attended));
    }

    private Tensor Split(Tensor t) => t.view(t.shape[0], t.shape[1], _heads, -1).transpose(1, 2);
}

/// <summary>diffusers' FeedForward with GEGLU: ff.net.0.proj, ff.net.2.</summary>
public sealed class FeedForward : Module<Tensor, Tensor>
{
    private readonly ModuleList<Module<Tensor, Tensor>> net;

    public FeedForward(int width, int multiplier = 4) : base(nameof(FeedForward))
    {
        net = ModuleList<Module<Tensor, Tensor>>(new GEGLU(width, width * multiplier), Dropout(0.0), Linear(width * multiplier, width));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => net[2].call(net[1].call(net[0].call(x)));
}

public sealed class GEGLU : Module<Tensor, Tensor>
{
    private readonly Linear proj;

    public GEGLU(int width, int inner) : base(nameof(GEGLU))
    {
        proj = Linear(width, inner * 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var halves = proj.call(x).chunk(2, -1);
        return halves[0] * functional.gelu(halves[1]);
    }
}

/// <summary>diffusers' BasicTransformerBlock: self-attention, cross-attention to the caption, GEGLU feed-forward, each pre-normed and residual.</summary>
public sealed class BasicTransformerBlock : Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2, norm3;
    private readonly Attention attn1, attn2;
    private readonly FeedForward ff;

    public BasicTransformerBlock(int width, int contextWidth, int heads, AttentionProbe? probe, int side) : base(nameof(BasicTransformerBlock))
    {
        norm1 = LayerNorm(width);
        attn1 = new Attention(width, width, heads);
        norm2 = LayerNorm(width);
        attn2 = new Attention(width, contextWidth, heads, probe, side);
        norm3 = LayerNorm(width);
        ff = new FeedForward(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor context)
    {
        x = x + attn1.call(norm1.call(x), null);
        x = x + attn2.call(norm2.call(x), context);
        return x + ff.call(norm3.call(x));
    }
}

/// <summary>diffusers' Transformer2DModel (SD 1.5 flavour: 1 x 1 convolutions for proj_in and proj_out).</summary>
public sealed class Transformer2DModel : Module<Tensor, Tensor, Tensor>
{
    private readonly GroupNorm norm;
    private readonly Conv2d proj_in, proj_out;
    private readonly ModuleList<BasicTransformerBlock> transformer_blocks;

    public Transformer2DModel(int width, int contextWidth, int heads, int groups, AttentionProbe? probe, int side) : base(nameof(Transformer2DModel))
    {
        norm = Norms.Group(groups, width, 1e-6);
        proj_in = Conv2d(width, width, 1);
        transformer_blocks = ModuleList(new BasicTransformerBlock(width, contextWidth, heads, probe, side));
        proj_out = Conv2d(width, width, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor context)
    {
        var (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var h = proj_in.call(norm.call(x)).permute(0, 2, 3, 1).reshape(batch, height * width, channels);
        foreach (var block in transformer_blocks) h = block.call(h, context);
        return proj_out.call(h.reshape(batch, height, width, channels).permute(0, 3, 1, 2)) + x;
    }
}

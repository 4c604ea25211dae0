using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>A pre-norm transformer layer of the text encoder (self-attention and feed-forward, both residual).</summary>
public sealed class TextEncoderLayer : Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1, norm2;
    private readonly Attention attn;
    private readonly FeedForward ff;

    public TextEncoderLayer(int width, int heads) : base(nameof(TextEncoderLayer))
    {
        norm1 = LayerNorm(width);
        attn = new Attention(width, width, heads);
        norm2 = LayerNorm(width);
        ff = new FeedForward(width);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = x + attn.call(norm1.call(x), null);
        return x + ff.call(norm2.call(x));
    }
}

/// <summary>
/// Turns token ids into the token states the UNet attends to: token and position embeddings, a few transformer
/// layers, a final norm. Trained with the UNet (our vocabulary is the taxonomy's, so there is no CLIP to freeze);
/// one state per token position, so a group's token span addresses its states and its attention maps.
/// </summary>
public sealed class TextEncoder : Module<Tensor, Tensor>
{
    private readonly Embedding token_embedding, position_embedding;
    private readonly ModuleList<TextEncoderLayer> layers = new();
    private readonly LayerNorm final_layer_norm;

    public TextEncoder(int vocabulary, DiffusionSpec spec) : base(nameof(TextEncoder))
    {
        token_embedding = Embedding(vocabulary, spec.TextWidth);
        position_embedding = Embedding(spec.MaxTokens, spec.TextWidth);
        for (var i = 0; i < spec.TextLayers; i++) layers.Add(new TextEncoderLayer(spec.TextWidth, spec.AttentionHeads));
        final_layer_norm = LayerNorm(spec.TextWidth);
        RegisterComponents();
    }

    /// <summary>Token ids [batch, tokens] → states [batch, tokens, width].</summary>
    public override Tensor forward(Tensor tokens)
    {
        var positions = arange(tokens.shape[1], dtype: int64, device: tokens.device).unsqueeze(0);
        var x = token_embedding.call(tokens) + position_embedding.call(positions);
        foreach (var layer in layers) x = layer.call(x);
        return final_layer_norm.call(x);
    }
}

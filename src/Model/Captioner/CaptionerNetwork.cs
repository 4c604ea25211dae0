using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// The captioner: a compact convolutional encoder (conv, batch norm, ReLU, 2x down-sampling per stage) whose
/// features, pooled to a 4 x 4 grid, feed one linear layer holding every attribute's head plus the "usable photo"
/// logit. The grid keeps where things are: a top and trousers of different colours differ only by position, which
/// a global average would wash out.
/// Field names are the state-dict keys ("encoder.*", "heads.*"), so a pretrained encoder loads by name.
/// </summary>
public sealed class CaptionerNetwork : Module<Tensor, Tensor>
{
    public const int Grid = 4;

    private readonly Sequential encoder;
    private readonly Dropout dropout;
    private readonly Linear heads;

    public CaptionerNetwork(CaptionerSpec spec) : base(nameof(CaptionerNetwork))
    {
        var layers = new List<(string, Module<Tensor, Tensor>)>();
        var channels = 3;
        for (var stage = 0; stage < spec.Widths.Count; stage++)
        {
            var width = spec.Widths[stage];
            layers.Add(($"conv{stage}", Conv2d(channels, width, 3, padding: 1, bias: false)));
            layers.Add(($"norm{stage}", BatchNorm2d(width)));
            layers.Add(($"relu{stage}", ReLU(inplace: true)));
            layers.Add(($"pool{stage}", MaxPool2d(2)));
            channels = width;
        }
        encoder = Sequential(layers);
        dropout = Dropout(0.2);
        heads = Linear(channels * Grid * Grid, spec.OutputCount);
        RegisterComponents();
    }

    /// <summary>Images [batch, 3, size, size], normalised; returns logits [batch, outputs].</summary>
    public override Tensor forward(Tensor images)
    {
        using var features = encoder.call(images);
        using var pooled = functional.adaptive_avg_pool2d(features, Grid).flatten(1);
        return heads.call(dropout.call(pooled));
    }
}

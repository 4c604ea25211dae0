using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>
/// ResNet-18 (He et al., 2016) as the captioner's encoder, with torchvision's tensor names ("conv1.weight",
/// "layer1.0.bn1.running_mean", ...), which timm's ResNet-18 shares: ImageNet weights published in either load by name
/// (<see cref="CaptionerModel.LoadPretrainedEncoder"/>). Its first two stages give the captioner's features at an
/// eighth of the input side (128 channels), where the parsing and the regions are read; the last two give the global
/// read at a thirty-second (512 channels). About 11 million weights: for GPU nodes, or CPU nodes given pretrained weights.
/// </summary>
public sealed class ResNet18Backbone : Module<Tensor, Tensor>
{
    public const int FeatureWidth = 128, DeepWidth = 512;

    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d maxpool;
    private readonly Sequential layer1, layer2, layer3, layer4;

    public ResNet18Backbone() : base(nameof(ResNet18Backbone))
    {
        conv1 = Conv2d(3, 64, 7, stride: 2, padding: 3, bias: false);
        bn1 = BatchNorm2d(64);
        maxpool = MaxPool2d(3, stride: 2, padding: 1);
        layer1 = Layer(64, 64, stride: 1);
        layer2 = Layer(64, FeatureWidth, stride: 2);
        layer3 = Layer(FeatureWidth, 256, stride: 2);
        layer4 = Layer(256, DeepWidth, stride: 2);
        RegisterComponents();
    }

    private static Sequential Layer(int from, int to, int stride) =>
        Sequential(("0", new BasicBlock(from, to, stride)), ("1", new BasicBlock(to, to, 1)));

    /// <summary>Features at an eighth of the input side [batch, 128, size/8, size/8].</summary>
    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        return layer2.call(layer1.call(maxpool.call(functional.relu(bn1.call(conv1.call(images)))))).MoveToOuterDisposeScope();
    }

    /// <summary>The deep read of <see cref="Features"/>, at a thirty-second of the input side [batch, 512, size/32, size/32].</summary>
    public Tensor Deep(Tensor features)
    {
        using var scope = NewDisposeScope();
        return layer4.call(layer3.call(features)).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor images)
    {
        using var features = Features(images);
        return Deep(features);
    }

    /// <summary>Two 3 x 3 convolutions with batch norms and a shortcut (a strided 1 x 1 convolution where the shape changes).</summary>
    private sealed class BasicBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly Sequential? downsample;

        public BasicBlock(int from, int to, int stride) : base(nameof(BasicBlock))
        {
            conv1 = Conv2d(from, to, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(to);
            conv2 = Conv2d(to, to, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(to);
            if (stride != 1 || from != to)
                downsample = Sequential(("0", Conv2d(from, to, 1, stride: stride, bias: false)), ("1", BatchNorm2d(to)));
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            var residual = bn2.call(conv2.call(functional.relu(bn1.call(conv1.call(input)))));
            return functional.relu(residual.add(downsample is null ? input : downsample.call(input))).MoveToOuterDisposeScope();
        }
    }
}

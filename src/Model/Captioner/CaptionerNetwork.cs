using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>What the network computes for a batch: every head's logits plus the "usable" logit, and the parsing map it sees.</summary>
public sealed record CaptionerOutput(Tensor Logits, Tensor ParsingLogits) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        ParsingLogits.Dispose();
    }
}

/// <summary>
/// The captioner: a compact convolutional encoder that also parses the person. A stem and two down-sampling stages lead to a
/// feature map at an eighth of the input side, refined by two more convolutions; a 1x1 convolution reads the
/// 18-class human-parsing map off it (learned from images that come with a parsing map). Each attribute then looks
/// where its group lives: features are averaged under the group's region (a top's colour under the upper
/// clothes, shoes under the shoes) and each feature's strongest response there (<see cref="Strongest"/>), with the
/// region's mean input colour (colour words need no deep features), its size and its peak probability (whether the
/// garment is there at all), and the share of the picture each parsing class takes (how much arm and leg is bare, how
/// large the face is). The region comes
/// from the parsing map the picture came with, where it has one, and from the network's own parsing otherwise; a given
/// map also brings the colour histogram and the layout on the person of each region's own pixels (<see cref="RegionReads"/>), all zero
/// without one. Beside that, a deeper global branch pooled to a 2 x 2 grid keeps the
/// coarse layout (shot type, pose); a finer grid gave the heads millions of weights to overfit a few thousand images
/// with. A small branch of its own reads the face crop a given map brings (<see cref="GivenParsing.Face"/>), and the
/// attributes whose region holds the face, the hair or the glasses worn on the face (the person's, the face's, the hair's,
/// the eyewear's) add a linear read of its
/// pooled features, zero without a crop. Every attribute adds a linear read of where each class of a given map lies
/// (<see cref="ParsingGeometry"/>: lengths and proportions the grid is too coarse for), zero without a map. An attribute's
/// logits are the sum of a linear read of its region, one of the grid, that of the face and that of the map's measures.
/// Field names are the state-dict keys ("encoder.*", "refine.*", "parsing.*", "global.*", "face.*", "heads.*", "region_heads_*", "face_heads.*",
/// "geometry_heads.*"), so a pretrained encoder loads by name. With <see cref="CaptionerBackbone.ResNet18"/>, ResNet-18
/// ("backbone.*") takes the place of the encoder, the refinement and the global branch (<see cref="ResNet18Backbone"/>).
/// </summary>
public sealed class CaptionerNetwork : Module<Tensor, Tensor>
{
    public const int Grid = 2;

    /// <summary>ResNet-18 as the encoder (<see cref="CaptionerBackbone.ResNet18"/>), whose published weights load into it by name; null with the compact encoder.</summary>
    public ResNet18Backbone? Backbone => backbone;

    /// <summary>
    /// The ATR classes of the face, the hair and sunglasses: regions holding any of them read the face crop. Glasses lie
    /// inside the crop, and their frame's shape and colour are a few pixels of the network's input.
    /// </summary>
    private static readonly short[] FaceCropClasses = [11, 2, 3];

    /// <summary>
    /// Scales of the sparse region inputs (the square roots of class shares and of region read shares) and of the class
    /// measures: a linear read learns an input as fast as the input is large.
    /// </summary>
    private const float CompositionScale = 4, ReadScale = 16, GeometryScale = 4;

    /// <summary>The parsing map is read at an eighth of the input side (three 2x down-samplings).</summary>
    public static int ParsingSide(int imageSize) => imageSize / 8;

    // The compact encoder's parts, or ResNet-18 (null where the other is used; null fields are not registered).
    private readonly Sequential? encoder;
    private readonly Sequential? refine;
    private readonly Sequential? global;
    private readonly ResNet18Backbone? backbone;
    private readonly Conv2d parsing;
    private readonly Sequential face;
    private readonly Dropout dropout;
    private readonly Linear heads;
    private readonly Parameter region_heads_weight;
    private readonly Parameter region_heads_bias;
    private readonly Linear face_heads;
    private readonly Linear geometry_heads;
    // Plain arrays, not tensor fields: tensor fields would be registered as (saved) buffers.
    private readonly float[] _regionClasses;
    private readonly long[] _regionOfOutput;
    private readonly float[] _outputSeesFace;
    private readonly int _faceWidth;

    public CaptionerNetwork(CaptionerSpec spec) : base(nameof(CaptionerNetwork))
    {
        if (spec.Widths.Count != 4) throw new ArgumentException("The captioner's encoder has four stages: give four widths.", nameof(spec));
        var w = spec.Widths;
        if (spec.Backbone == CaptionerBackbone.ResNet18)
        {
            if (w[2] != ResNet18Backbone.FeatureWidth || w[3] != ResNet18Backbone.DeepWidth)
                throw new ArgumentException($"ResNet-18's feature and deep widths are {ResNet18Backbone.FeatureWidth} and {ResNet18Backbone.DeepWidth}; the spec gives {w[2]} and {w[3]}.", nameof(spec));
            backbone = new ResNet18Backbone();
        }
        else
        {
            // The stem is a learned 2x down-sampling (5 x 5, stride 2) before the first pooling, as ResNet's: small details of
            // the full input (sunglasses, a tie) survive into the cheaper resolutions instead of being averaged away.
            encoder = Sequential(Stage("0", 3, w[0], pool: true, kernel: 5, stride: 2).Concat(Stage("1", w[0], w[1], pool: true)));
            refine = Sequential(Stage("2", w[1], w[2], pool: false).Concat(Stage("2b", w[2], w[2], pool: false)));
            global = Sequential(new (string, Module<Tensor, Tensor>)[] { ("pool", MaxPool2d(2)) }.Concat(Stage("3", w[2], w[3], pool: true)));
        }
        parsing = Conv2d(w[2], CaptionerSpec.ParsingClassCount, 1);
        face = Sequential(Stage("f0", 3, w[0], pool: true).Concat(Stage("f1", w[0], w[1], pool: true))
            .Concat(Stage("f2", w[1], w[2], pool: true)).Concat(Stage("f3", w[2], w[2], pool: false)));
        _faceWidth = w[2];
        dropout = Dropout(0.2);
        heads = Linear(w[3] * Grid * Grid, spec.OutputCount);

        var regions = spec.Regions();
        var regionInputs = 2 * w[2] + 3 + 2 + CaptionerSpec.ParsingClassCount + RegionReads.Length;
        region_heads_weight = Parameter(zeros(spec.OutputCount - 1, regionInputs));
        region_heads_bias = Parameter(zeros(spec.OutputCount - 1));
        init.kaiming_uniform_(region_heads_weight, Math.Sqrt(5));
        _regionClasses = new float[regions.Count * CaptionerSpec.ParsingClassCount];
        for (var r = 0; r < regions.Count; r++)
            foreach (var c in regions[r]) _regionClasses[r * CaptionerSpec.ParsingClassCount + c] = 1;
        _regionOfOutput = spec.RegionOfOutputs().Select(r => (long)r).ToArray();
        // Without a bias, so a picture without a crop adds nothing.
        face_heads = Linear(_faceWidth, spec.OutputCount - 1, hasBias: false);
        // Without a bias too: a picture without a map measures nothing.
        geometry_heads = Linear(ParsingGeometry.FeatureCount, spec.OutputCount - 1, hasBias: false);
        _outputSeesFace = _regionOfOutput.Select(r => regions[(int)r].Intersect(FaceCropClasses).Any() ? 1f : 0f).ToArray();
        RegisterComponents();
    }

    /// <summary>Convolution (no bias), batch norm, ReLU, and a 2x max-pool when <paramref name="pool"/>.</summary>
    private static IEnumerable<(string, Module<Tensor, Tensor>)> Stage(string name, int from, int to, bool pool, int kernel = 3, int stride = 1)
    {
        yield return ($"conv{name}", Conv2d(from, to, kernel, stride: stride, padding: kernel / 2, bias: false));
        yield return ($"norm{name}", BatchNorm2d(to));
        yield return ($"relu{name}", ReLU(inplace: true));
        if (pool) yield return ($"pool{name}", MaxPool2d(2));
    }

    /// <summary>
    /// Each feature's strongest response under each region [batch, regions, channels], features [batch, channels, cells]
    /// weighted by masks [batch, regions, cells]: a collar, a mouth or a frame fills a cell or two of its region, and the
    /// region's mean washes it out (held out on synthetic people: collar 29% -> 35%, expression 36% -> 39%, gender 57% ->
    /// 62%, all attributes 63.5% -> 64.8% over two seeds). The maximum is found without gradients and the winners gathered, so
    /// the backward pass touches one cell per channel and region instead of a [batch, regions, channels, cells] product
    /// (a training step 4% slower instead of 50%).
    /// </summary>
    public static Tensor Strongest(Tensor features, Tensor masks)
    {
        using var scope = NewDisposeScope();
        Tensor at;
        using (no_grad()) at = features.unsqueeze(1).mul(masks.unsqueeze(2)).argmax(3);
        return features.gather(2, at.permute(0, 2, 1)).permute(0, 2, 1).mul(masks.gather(2, at)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The face's read [batch, value outputs]: a linear read of the face branch's pooled features for the outputs whose
    /// region sees the face, zero elsewhere and for images without a crop (so the heads read nothing rather than the
    /// branch's answer to a blank square). A read of its own rather than more inputs to the region reads: those are
    /// multiplied out per output, and a face's width more of them made a training step half as slow again.
    /// </summary>
    private Tensor FaceLogits(Tensor? faces, long batch, Device device)
    {
        var features = zeros(batch, _faceWidth, device: device);
        if (faces is not null)
        {
            // Only the crops go through the branch: blank squares would skew its batch norms' statistics.
            var rows = faces.abs().sum([1, 2, 3]).gt(0).nonzero().squeeze(1);
            if (rows.shape[0] > 0)
                features = features.index_copy(0, rows, functional.adaptive_avg_pool2d(face.call(faces.index_select(0, rows)), 1).flatten(1));
        }
        return face_heads.call(dropout.call(features)).mul(tensor(_outputSeesFace, [1, _outputSeesFace.Length], device: device));
    }

    /// <summary>Images [batch, 3, size, size], normalised; returns logits [batch, outputs].</summary>
    public override Tensor forward(Tensor images)
    {
        using var output = Forward(images, null);
        return output.Logits.alias();
    }

    /// <summary>
    /// Logits and the parsing map's logits [batch, 18, size/8, size/8]. <paramref name="given"/>: the parsing maps that came
    /// with the images, as class shares of the same shape (all zero for an image without one); regions are read from them
    /// instead of from the network's own parsing where an image has one. <paramref name="reads"/>: the region reads of
    /// those maps [batch, regions, <see cref="RegionReads.Length"/>] (<see cref="Batches.Regions"/>), all zero for an image without one.
    /// <paramref name="faces"/>: their face crops [batch, 3, side, side] (<see cref="Batches.Faces"/>), all zero for an image without one.
    /// <paramref name="geometry"/>: their class measures [batch, <see cref="ParsingGeometry.FeatureCount"/>] (<see cref="Batches.Geometry"/>), all zero for an image without a map.
    /// </summary>
    public CaptionerOutput Forward(Tensor images, Tensor? given = null, Tensor? reads = null, Tensor? faces = null, Tensor? geometry = null)
    {
        using var scope = NewDisposeScope();
        var features = backbone?.Features(images) ?? refine!.call(encoder!.call(images));
        var parsingLogits = parsing.call(features);

        // Soft region masks from the parsing: each region sums the probabilities of its classes.
        var predicted = functional.softmax(parsingLogits, 1);
        var probabilities = (given is null ? predicted : where(given.sum([1, 2, 3], keepdim: true).gt(0), given, predicted)).flatten(2);
        var regionClasses = tensor(_regionClasses, [_regionClasses.Length / CaptionerSpec.ParsingClassCount, CaptionerSpec.ParsingClassCount], device: images.device);
        var masks = matmul(regionClasses, probabilities);
        var area = masks.sum(2, keepdim: true);
        var cells = features.flatten(2);
        var pooled = matmul(masks, cells.transpose(1, 2)).div(area + 1e-3);
        var strongest = Strongest(cells, masks);
        // The region's mean input colour, read straight off the pixels: colour words need no deep features.
        var cellColours = functional.avg_pool2d(images, images.shape[2] / features.shape[2]).flatten(2);
        var colour = matmul(masks, cellColours.transpose(1, 2)).div(area + 1e-3);
        // Size and peak: a bag or sunglasses cover a cell or two, so presence shows in the region's strongest cell.
        var size = log(area.div(probabilities.shape[2]) + 1e-5);
        var peak = masks.amax([2], keepdim: true);
        // The class shares and region reads are sparse (a shoe's colour fills one to three of 64 bins), and a linear
        // read learns from an input as fast as the input is large: at share scale their weights hardly moved in a
        // training run while the dense pooled features memorised the training images (shoe colours 12% right on held-out
        // people, 69% on the training ones). Scaled up, they are learned first (shoe colours 77%, all attributes 54% -> 63%).
        var composition = probabilities.mean([2]).sqrt().mul(CompositionScale).unsqueeze(1).expand(-1, masks.shape[1], -1);
        var regionReads = reads?.mul(ReadScale) ?? zeros(masks.shape[0], masks.shape[1], RegionReads.Length, device: images.device);
        var regional = cat([pooled, strongest, colour, size, peak, composition, regionReads], 2);
        var perOutput = dropout.call(regional.index_select(1, tensor(_regionOfOutput, device: images.device)));
        var regionLogits = perOutput.mul(region_heads_weight).sum(2).add(region_heads_bias).add(FaceLogits(faces, images.shape[0], images.device));
        if (geometry is not null) regionLogits = regionLogits.add(geometry_heads.call(dropout.call(geometry.mul(GeometryScale))));

        var grid = functional.adaptive_avg_pool2d(backbone?.Deep(features) ?? global!.call(features), Grid).flatten(1);
        var logits = heads.call(dropout.call(grid));
        var combined = cat([logits.narrow(1, 0, logits.shape[1] - 1).add(regionLogits), logits.narrow(1, logits.shape[1] - 1, 1)], 1);
        return new CaptionerOutput(combined.MoveToOuterDisposeScope(), parsingLogits.MoveToOuterDisposeScope());
    }
}

using System.Text.Json;
using AnnotateAnyone.Model.Compute;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Captioner;

/// <summary>What the captioner says about one image: one answer per head, and how likely it is a usable photo of a person.</summary>
public sealed record CaptionerPrediction(IReadOnlyList<HeadPrediction> Heads, float Usable);

/// <summary>
/// A trained captioner ready to answer: the network in evaluation mode, its spec and its per-head temperatures.
/// Saved as three parts: weights (TorchSharp format), spec JSON and temperatures JSON.
/// </summary>
public sealed class CaptionerModel : IDisposable
{
    private readonly Device _device;

    public CaptionerModel(CaptionerSpec spec, Device device, float[]? temperatures = null)
    {
        Spec = spec;
        _device = device;
        Network = new CaptionerNetwork(spec);
        Network.to(device);
        Temperatures = temperatures ?? Enumerable.Repeat(1f, spec.Heads.Count).ToArray();
    }

    public CaptionerSpec Spec { get; }
    public CaptionerNetwork Network { get; }
    public float[] Temperatures { get; set; }

    /// <summary>The heads' tensors, which belong to one taxonomy: one row per output each; everything else is the encoder.</summary>
    private static readonly string[] HeadTensors = ["heads.weight", "heads.bias", "region_heads_weight", "region_heads_bias", "face_heads.weight", "geometry_heads.weight"];

    private static bool IsEncoder(string key) => !HeadTensors.Contains(key);

    /// <summary>
    /// Starts the encoder from pretrained weights: a safetensors file holding every encoder tensor of this
    /// architecture ("encoder.*", "refine.*", "parsing.*", "global.*", "face.*", or "backbone.*" in place of the first
    /// three with ResNet-18; heads in it are ignored: they belong to another taxonomy), or, with ResNet-18, a ResNet-18 as
    /// torchvision and timm publish it (<see cref="ResNet18Backbone"/>), whose classifier is ignored.
    /// </summary>
    /// <exception cref="InvalidDataException">The file misses encoder tensors or holds them in other shapes.</exception>
    public void LoadPretrainedEncoder(string safetensorsPath)
    {
        if (PublishedResNet18.Holds(safetensorsPath))
        {
            PublishedResNet18.Load(Network.Backbone ?? throw new InvalidDataException(
                $"{safetensorsPath} is a ResNet-18 as torchvision and timm publish it, and this captioner's encoder is the compact CNN: " +
                "choose the ResNet-18 encoder (Captioner__Backbone=ResNet18) to start from it."), safetensorsPath);
            return;
        }
        var expected = Network.state_dict().Keys.Where(IsEncoder).ToList();
        var loaded = new Dictionary<string, bool>();
        try
        {
            Network.load_safetensors(safetensorsPath, strict: false, skip: HeadTensors, loadedParameters: loaded);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{safetensorsPath} does not fit this encoder (widths {string.Join(", ", Spec.Widths)}): {e.Message}", e);
        }
        var missing = expected.Where(k => !loaded.GetValueOrDefault(k)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{safetensorsPath} holds {expected.Count - missing.Count} of the encoder's {expected.Count} tensors; " +
                $"missing for example {string.Join(", ", missing.Take(3))}. Save the encoder with these names.");
    }

    /// <summary>
    /// Starts from a previous version: its encoder when the encoders match, and each head whose attribute has the
    /// same values in both, so a retraining continues what the last one learned instead of starting over; new or
    /// changed attributes start fresh. Returns how many heads carried over (-1: the encoders differ, nothing did).
    /// </summary>
    public int ContinueFrom(CaptionerModel previous)
    {
        if (previous.Spec.ImageSize != Spec.ImageSize || previous.Spec.Backbone != Spec.Backbone || !previous.Spec.Widths.SequenceEqual(Spec.Widths)) return -1;
        using var _ = no_grad();
        var source = previous.Network.state_dict();
        var target = Network.state_dict();
        foreach (var (key, tensor) in target.Where(p => IsEncoder(p.Key)))
            tensor.copy_(source[key]);

        var (from, to) = (previous.Spec.Offsets(), Spec.Offsets());
        var carried = 0;
        for (var h = 0; h < Spec.Heads.Count; h++)
        {
            var match = previous.Spec.Heads.Select((head, index) => (head, index)).FirstOrDefault(p => p.head.Matches(Spec.Heads[h]));
            if (match.head is null) continue;
            var count = Spec.Heads[h].Values.Count;
            foreach (var key in HeadTensors) target[key].narrow(0, to[h], count).copy_(source[key].narrow(0, from[match.index], count));
            Temperatures[h] = previous.Temperatures[match.index];
            carried++;
        }
        // Only the global read has a row for the usable logit.
        foreach (var key in new[] { "heads.weight", "heads.bias" })
            target[key].narrow(0, Spec.UsableIndex, 1).copy_(source[key].narrow(0, previous.Spec.UsableIndex, 1));
        return carried;
    }

    /// <summary>Answers for a batch of images (size x size x 3 pixels each), with the parsing maps that came with them, if any.</summary>
    public IReadOnlyList<CaptionerPrediction> Predict(IReadOnlyList<byte[]> pixels, IReadOnlyList<GivenParsing?>? parsing = null) =>
        Decode(Logits(pixels, parsing), pixels.Count);

    /// <summary>
    /// Raw logits [batch, outputs] for answers, evaluation and calibration: the mean of the picture's and its mirror
    /// image's, as training saw both and no attribute changes in a mirror; steadier confidences for one more pass.
    /// </summary>
    public float[] Logits(IReadOnlyList<byte[]> pixels, IReadOnlyList<GivenParsing?>? parsing = null)
    {
        Network.eval();
        using (NewDisposeScope())
        using (no_grad())
        {
            using var images = Batches.Images(pixels, Spec.ImageSize, _device);
            var side = CaptionerNetwork.ParsingSide(Spec.ImageSize);
            using var given = parsing is null ? null : Batches.Parsing(parsing, side, _device, Augmentation.None);
            using var mirrored = parsing is null ? null : Batches.Parsing(parsing, side, _device, new Augmentation(true, 0, 0));
            using var reads = parsing is null ? null : Batches.Regions(parsing, Spec.Regions().Count, _device, Augmentation.None);
            using var mirroredReads = parsing is null ? null : Batches.Regions(parsing, Spec.Regions().Count, _device, new Augmentation(true, 0, 0));
            using var faces = parsing is null ? null : Batches.Faces(parsing, _device, Augmentation.None);
            using var mirroredFaces = parsing is null ? null : Batches.Faces(parsing, _device, new Augmentation(true, 0, 0));
            using var geometry = parsing is null ? null : Batches.Geometry(parsing, _device, Augmentation.None);
            using var mirroredGeometry = parsing is null ? null : Batches.Geometry(parsing, _device, new Augmentation(true, 0, 0));
            using var pause = GcPause.Start();
            using var output = Network.Forward(cat([images, images.flip(3)], 0), given is null ? null : cat([given, mirrored!], 0),
                reads is null ? null : cat([reads, mirroredReads!], 0), faces is null ? null : cat([faces, mirroredFaces!], 0),
                geometry is null ? null : cat([geometry, mirroredGeometry!], 0));
            var both = output.Logits;
            return both.narrow(0, 0, pixels.Count).add(both.narrow(0, pixels.Count, pixels.Count)).div(2).cpu().data<float>().ToArray();
        }
    }

    public IReadOnlyList<CaptionerPrediction> Decode(float[] logits, int batch)
    {
        var offsets = Spec.Offsets();
        var predictions = new List<CaptionerPrediction>(batch);
        for (var b = 0; b < batch; b++)
        {
            var row = logits.AsSpan(b * Spec.OutputCount, Spec.OutputCount);
            var heads = new HeadPrediction[Spec.Heads.Count];
            for (var h = 0; h < heads.Length; h++)
                heads[h] = HeadDecoding.Decode(row.Slice(offsets[h], Spec.Heads[h].Values.Count), Spec.Heads[h].MultipleChoice, Temperatures[h]);
            predictions.Add(new CaptionerPrediction(heads, 1f / (1f + MathF.Exp(-row[Spec.UsableIndex]))));
        }
        return predictions;
    }

    /// <summary>Writes the weights to <paramref name="stream"/> and leaves it open.</summary>
    public void SaveWeights(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Network.save(writer);
    }

    public string TemperaturesJson => JsonSerializer.Serialize(Temperatures);

    public static CaptionerModel Load(CaptionerSpec spec, string temperaturesJson, Stream weights, Device device)
    {
        var model = new CaptionerModel(spec, device, JsonSerializer.Deserialize<float[]>(temperaturesJson));
        try
        {
            model.Network.load(weights);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            model.Dispose();
            throw new InvalidDataException($"These captioner weights do not fit this captioner's network (saved by another architecture?): {e.Message} Train a new version.", e);
        }
        model.Network.to(device);
        return model;
    }

    public void Dispose() => Network.Dispose();
}

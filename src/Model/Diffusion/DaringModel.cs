using AnnotateAnyone.Model.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>The trainable parts, under the state-dict prefixes "text_encoder." and "unet." (a diffusers pipeline's folder names).</summary>
public sealed class DaringNetwork : nn.Module
{
    private readonly TextEncoder text_encoder;
    private readonly UNet2DConditionModel unet;

    public DaringNetwork(DiffusionSpec spec, int vocabulary, AttentionProbe probe) : base(nameof(DaringNetwork))
    {
        text_encoder = new TextEncoder(vocabulary, spec);
        unet = new UNet2DConditionModel(spec, probe);
        RegisterComponents();
    }

    public TextEncoder TextEncoder => text_encoder;
    public UNet2DConditionModel UNet => unet;
}

/// <summary>One generated image and, per caption group, its cross-attention map (resolution x resolution, averaged over steps, layers, heads and the group's tokens).</summary>
public sealed record GeneratedImage(int Seed, byte[] Pixels, IReadOnlyDictionary<string, float[]> GroupAttention);

/// <summary>
/// A Daring text-to-image model: tokenizer, text encoder and UNet, the noise schedule, and the probe that reads
/// cross-attention. Generates with DDIM and classifier-free guidance from a seed (same seed, same image), and
/// measures how much of each group's attention falls inside the group's mask.
/// </summary>
public sealed class DaringModel : IDisposable
{
    private readonly Device _device;

    public DaringModel(DiffusionSpec spec, Device device)
    {
        if (spec.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems), nameof(spec));
        Spec = spec;
        _device = device;
        Tokenizer = new CaptionTokenizer(spec.Vocabulary);
        Schedule = new NoiseSchedule(spec);
        Probe = new AttentionProbe(spec.HolaResolution);
        Network = new DaringNetwork(spec, Tokenizer.Size, Probe);
        Network.to(device);
    }

    public DiffusionSpec Spec { get; }
    public CaptionTokenizer Tokenizer { get; }
    public NoiseSchedule Schedule { get; }
    public AttentionProbe Probe { get; }
    public DaringNetwork Network { get; }
    public Device Device => _device;

    public CaptionDiscretizer Discretizer(double dropProbability = 0.1, double optionalDropProbability = 0.5) =>
        new(Tokenizer, Spec.MaxTokens, dropProbability, optionalDropProbability);

    /// <summary>Token states [batch, tokens, width] of the captions.</summary>
    public Tensor Encode(IReadOnlyList<DiscreteCaption> captions)
    {
        var ids = captions.SelectMany(c => c.TokenIds.Select(i => (long)i)).ToArray();
        using var tokens = tensor(ids, [captions.Count, Spec.MaxTokens], device: _device);
        return Network.TextEncoder.call(tokens);
    }

    /// <summary>Noise predicted for noisy images at their timesteps, given caption states.</summary>
    public Tensor PredictNoise(Tensor noisy, int[] timesteps, Tensor context)
    {
        using var steps = tensor(timesteps.Select(t => (long)t).ToArray(), device: _device);
        return Network.UNet.call(noisy, steps, context);
    }

    /// <summary>
    /// Generates one image per seed with DDIM and classifier-free guidance. The starting noise comes from a
    /// generator seeded with the image's seed alone, so an image does not depend on what else is in the batch.
    /// </summary>
    public IReadOnlyList<GeneratedImage> Generate(DiscreteCaption caption, IReadOnlyList<int> seeds, double guidance, int steps)
    {
        Network.eval();
        var count = seeds.Count;
        var side = Spec.HolaResolution;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var noise = cat(seeds.Select(seed => randn([1, 3, Spec.ImageSize, Spec.ImageSize], generator: new Generator((ulong)seed))).ToList(), 0).to(_device);
        var captions = Enumerable.Repeat(Discretizer().Empty(), count).Concat(Enumerable.Repeat(caption, count)).ToList();
        var context = Encode(captions);
        var attention = zeros([count, side * side, Spec.MaxTokens], device: _device);
        var timesteps = Schedule.SamplingTimesteps(steps);
        var x = noise;
        Probe.Recording = true;
        try
        {
            for (var i = 0; i < timesteps.Length; i++)
            {
                using var pause = GcPause.Start();
                Probe.Clear();
                var t = timesteps[i];
                var predicted = PredictNoise(cat([x, x], 0), Enumerable.Repeat(t, 2 * count).ToArray(), context).chunk(2);
                var guided = predicted[0] + (predicted[1] - predicted[0]) * guidance;
                foreach (var map in Probe.Maps) attention.add_(map.narrow(0, count, count));
                x = Schedule.DdimStep(x, guided, t, i + 1 < timesteps.Length ? timesteps[i + 1] : -1);
            }
        }
        finally
        {
            Probe.Recording = false;
            Probe.Clear();
        }
        var pixels = DiffusionPixels.FromTensor(x);
        var maps = attention.cpu().data<float>().ToArray();
        return seeds.Select((seed, b) => new GeneratedImage(seed, pixels[b],
            caption.Groups.ToDictionary(g => g.Key, g => GroupMap(maps, b, g, side * side)))).ToList();
    }

    /// <summary>A group's map: the mean over its tokens, scaled so the map's total is 1 (a share of attention per pixel).</summary>
    private float[] GroupMap(float[] maps, int sample, GroupTokens group, int pixels)
    {
        var map = new float[pixels];
        for (var p = 0; p < pixels; p++)
            for (var t = group.Start; t < group.End; t++)
                map[p] += maps[(sample * pixels + p) * Spec.MaxTokens + t];
        var total = map.Sum();
        if (total > 0) for (var p = 0; p < pixels; p++) map[p] /= total;
        return map;
    }

    /// <summary>
    /// For images with parsing maps: per group, the share of the group's attention (mean over its tokens) that
    /// lies inside its mask, from the denoiser's view of the image noised to each of the given timesteps (seeded).
    /// Returns the sum of shares and the number of measurements per group key.
    /// </summary>
    public Dictionary<string, (double Sum, int Count)> AttentionInMask(IReadOnlyList<DaringExample> examples, IReadOnlyList<int> timesteps, int seed)
    {
        Network.eval();
        var result = new Dictionary<string, (double Sum, int Count)>();
        var discretizer = Discretizer();
        var withMaps = examples.Where(e => e.ParsingMap is not null).ToList();
        if (withMaps.Count == 0) return result;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var captions = withMaps.Select(e => discretizer.Compose(e.Groups)).ToList();
        var context = Encode(captions);
        var clean = DiffusionPixels.ToTensor(withMaps.Select(e => e.Pixels).ToList(), Spec.ImageSize, _device);
        using var targets = HolaTargets.Build(captions, withMaps.Select(e => e.ParsingMap).ToList(), Spec.ImageSize, Spec.HolaResolution, Spec.MaxTokens, _device);
        var generator = new Generator((ulong)seed);
        Probe.Recording = true;
        try
        {
            foreach (var t in timesteps)
            {
                using var pause = GcPause.Start();
                Probe.Clear();
                var steps = Enumerable.Repeat(t, withMaps.Count).ToArray();
                PredictNoise(Schedule.AddNoise(clean, randn(clean.shape, generator: generator).to(_device), steps), steps, context);
                var map = stack(Probe.Maps.ToList()).mean([0]);                                            // [B, P, T]
                var groupMaps = matmul(targets.Tokens, map.transpose(1, 2));                                // [B, G, P]
                var shares = ((groupMaps * targets.Masks).sum(-1) / groupMaps.sum(-1).clamp_min(1e-12)).cpu().data<float>().ToArray();
                var maskAreas = targets.Masks.sum(-1).cpu().data<float>().ToArray();
                var groupCount = (int)targets.Valid.shape[1];
                for (var b = 0; b < captions.Count; b++)
                    for (var g = 0; g < captions[b].Groups.Count; g++)
                    {
                        // A group whose body part is not in the picture has no mask to attend to: nothing to measure.
                        if (captions[b].Groups[g].ParsingClasses.Count == 0 || maskAreas[b * groupCount + g] < 1e-3) continue;
                        var key = captions[b].Groups[g].Key;
                        var (sum, n) = result.GetValueOrDefault(key);
                        result[key] = (sum + shares[b * groupCount + g], n + 1);
                    }
            }
        }
        finally
        {
            Probe.Recording = false;
            Probe.Clear();
        }
        return result;
    }

    /// <summary>Writes the weights to <paramref name="stream"/> and leaves it open.</summary>
    public void SaveWeights(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Network.save(writer);
    }

    public static DaringModel Load(DiffusionSpec spec, Stream weights, Device device)
    {
        var model = new DaringModel(spec, device);
        using var reader = new BinaryReader(weights, System.Text.Encoding.UTF8, leaveOpen: true);
        model.Network.load(reader);
        model.Network.to(device);
        return model;
    }

    public void Dispose() => Network.Dispose();
}

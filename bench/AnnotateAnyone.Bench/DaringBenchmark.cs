using System.Diagnostics;
using System.Text.Json;
using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Daring;
using TorchSharp;

namespace AnnotateAnyone.Bench;

/// <summary>
/// Daring training steps per second of the Worker's default model (64 x 64, default taxonomy vocabulary, HOLA on)
/// on two CPU threads, beside the same architecture, losses, optimiser and batch in PyTorch (Debian's
/// python3-torch, bench/python/daring.py), in the same run. Captions keep every group (no dropping), so both
/// sides attend over the same tokens and pull the same groups towards their masks.
/// </summary>
public static class DaringBenchmark
{
    private const int Threads = 2, BatchSize = 8, Warmup = 2, Steps = 10;

    public static Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var taxonomy = DefaultTaxonomy.Spec;
        var vocabulary = CaptionTokenizer.VocabularyOf(CaptionComposer.PhrasesOf(taxonomy));
        var spec = new DaringOptions().Spec(64, vocabulary);
        var data = new Examples(People(taxonomy, spec.ImageSize));
        var options = new DaringTrainingOptions(Steps: Warmup, BatchSize: BatchSize, Lambda: 1.0, CheckpointEvery: int.MaxValue, Threads: Threads,
            CaptionDropout: 0, DropProbability: 0, OptionalDropProbability: 0);

        var pytorch = PyTorch(spec, data, options, environment);
        var (ours, parameters) = Ours(spec, data, options);

        Console.WriteLine($"UNet channels {string.Join("/", spec.BlockChannels)}, input {spec.ImageSize} px, HOLA at {spec.HolaResolution} px, {spec.MaxTokens} tokens, batch {BatchSize}, {Threads} threads");
        Console.WriteLine($"TorchSharp: {ours:F3} train steps/s ({parameters:N0} parameters)");
        Console.WriteLine($"PyTorch {pytorch.Version}: {pytorch.Steps:F3} train steps/s ({pytorch.Parameters:N0} parameters)");
        return Task.FromResult(new BenchResult(ours / pytorch.Steps, ("ours_steps_s", ours), ("pytorch_steps_s", pytorch.Steps)));
    }

    /// <summary>One person per batch slot: a random value per attribute of every group, and a parsing map of blocks of random classes.</summary>
    private static List<DaringExample> People(TaxonomySpec taxonomy, int size)
    {
        var random = new Random(8);
        return Enumerable.Range(0, BatchSize).Select(_ =>
        {
            var pixels = new byte[size * size * 3];
            random.NextBytes(pixels);
            var map = new byte[size * size];
            for (var p = 0; p < map.Length; p++) map[p] = (byte)((p / size / 8 * 3 + p % size / 8) % ParsingClasses.Count);
            var groups = taxonomy.Groups.Select(g => new CaptionGroup(g.Key,
                string.Join(" ", g.Attributes.Select(a => a.Values[random.Next(a.Values.Count)].Phrase).Where(p => p.Length > 0).Append(g.Noun ?? "")).Trim(),
                GroupPlacement.Shuffled, g.ParsingClasses.Select(c => (short)c).ToArray())).ToList();
            return new DaringExample(pixels, map, groups);
        }).ToList();
    }

    private static (double Steps, long Parameters) Ours(DiffusionSpec spec, Examples data, DaringTrainingOptions options)
    {
        torch.random.manual_seed(1);
        using var model = new DaringModel(spec, torch.CPU);
        DaringTrainer.Train(model, data, options, NoObserver.Instance);
        var clock = Stopwatch.StartNew();
        DaringTrainer.Train(model, data, options with { Steps = Steps }, NoObserver.Instance);
        return (Steps / clock.Elapsed.TotalSeconds, model.Network.parameters().Sum(p => p.numel()));
    }

    private static (double Steps, long Parameters, string Version) PyTorch(DiffusionSpec spec, Examples data, DaringTrainingOptions options, BenchEnvironment environment)
    {
        var tokenizer = new CaptionTokenizer(spec.Vocabulary);
        var discretizer = new CaptionDiscretizer(tokenizer, spec.MaxTokens);
        var examples = Enumerable.Range(0, data.Count).Select(data.Get).ToList();
        var captions = examples.Select(e => discretizer.Compose(e.Groups)).ToList();
        using var targets = HolaTargets.Build(captions, examples.Select(e => e.ParsingMap).ToList(), spec.ImageSize, spec.HolaResolution, spec.MaxTokens, torch.CPU);

        var figures = PyTorchYardstick.Run(environment, "daring.py", JsonSerializer.Serialize(new
        {
            spec, threads = Threads, batchSize = BatchSize, warmup = Warmup, steps = Steps, vocabulary = tokenizer.Size,
            learningRate = options.LearningRate, lambda = options.Lambda,
            tokens = captions.SelectMany(c => c.TokenIds),
            groupTokens = targets.Tokens.data<float>().ToArray(),
            masks = targets.Masks.data<float>().ToArray(),
            valid = targets.Valid.data<float>().ToArray(),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web)));
        return (figures.GetProperty("trainStepsPerSecond").GetDouble(), figures.GetProperty("parameters").GetInt64(), figures.GetProperty("torch").GetString()!);
    }

    private sealed class Examples(IReadOnlyList<DaringExample> examples) : IDaringData
    {
        public int Count => examples.Count;

        public DaringExample Get(int index) => examples[index];
    }

    private sealed class NoObserver : IDaringObserver
    {
        public static readonly NoObserver Instance = new();

        public void Step(int step, int totalSteps, DaringLosses losses) { }

        public void Checkpoint(int step, Action<Stream> write) { }

        public bool CancellationRequested => false;
    }
}

using System.Diagnostics;
using System.Text.Json;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Training;
using TorchSharp;

namespace AnnotateAnyone.Bench;

/// <summary>
/// The captioner's training steps and inference images per second on two CPU threads, beside the same
/// architecture, loss, optimiser and batches in PyTorch (Debian's python3-torch, bench/python/captioner.py),
/// in the same run. Heads are the default taxonomy's; the input is the Worker's default size, with a parsing map per image.
/// </summary>
public static class CaptionerBenchmark
{
    private const int Threads = 2, BatchSize = 32, Warmup = 3, Steps = 30, InferenceBatches = 20;

    public static Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var options = new CaptionerOptions();
        var spec = options.SpecFor(CaptionerHeads.For(DefaultTaxonomy.Spec));
        var targets = Targets(spec);

        var pytorch = PyTorch(spec, targets, environment);
        var (oursTrain, oursInfer) = Ours(spec, targets);

        Console.WriteLine($"heads: {spec.Heads.Count} ({spec.OutputCount} outputs), input {spec.ImageSize} px, widths {string.Join("/", spec.Widths)}, batch {BatchSize}, {Threads} threads");
        Console.WriteLine($"TorchSharp: {oursTrain:F2} train steps/s, {oursInfer:F1} images/s inference");
        Console.WriteLine($"PyTorch {pytorch.Version}: {pytorch.Train:F2} train steps/s, {pytorch.Infer:F1} images/s inference");
        return Task.FromResult(new BenchResult(oursTrain / pytorch.Train, ("infer_ratio", oursInfer / pytorch.Infer),
            ("ours_steps_s", oursTrain), ("pytorch_steps_s", pytorch.Train), ("ours_infer_img_s", oursInfer), ("pytorch_infer_img_s", pytorch.Infer)));
    }

    /// <summary>A batch's targets as labelled data has them: most heads known, some unknown (-1).</summary>
    private static int[][] Targets(CaptionerSpec spec)
    {
        var random = new Random(32);
        return Enumerable.Range(0, BatchSize).Select(_ => spec.Heads.Select(h => random.NextDouble() < 0.3 ? -1
            : h.MultipleChoice ? random.Next(1 << h.Values.Count) : random.Next(h.Values.Count)).ToArray()).ToArray();
    }

    private static (double Train, double Infer) Ours(CaptionerSpec spec, int[][] targets)
    {
        torch.set_num_threads(Threads);
        torch.random.manual_seed(1);
        using var model = new CaptionerModel(spec, torch.CPU);
        var random = new Random(7);
        var pixels = Enumerable.Range(0, BatchSize).Select(_ => { var p = new byte[spec.ImageSize * spec.ImageSize * 3]; random.NextBytes(p); return p; }).ToList();
        var side = CaptionerNetwork.ParsingSide(spec.ImageSize);
        byte[] Noise(int count, int below) => Enumerable.Range(0, count).Select(_ => (byte)random.Next(below)).ToArray();
        var examples = new BatchData(pixels.Select((p, i) => new CaptionerExample(p, targets[i], 1,
            new GivenParsing(Noise(side * side * CaptionerSpec.ParsingClassCount, 30), Noise(spec.Regions().Count * RegionReads.Length, 256),
                Noise(GivenParsing.FaceBytes, 256), ParsingGeometry.Of(Noise(side * side, CaptionerSpec.ParsingClassCount), side, side)))).ToList());

        // One epoch of one batch per call: the trainer's own step, with its per-step scope, seeding and flips.
        var training = new TrainingOptions(Epochs: Warmup, BatchSize: BatchSize, Threads: Threads, CheckpointEvery: int.MaxValue);
        CaptionerTrainer.Train(model, examples, training, NoObserver.Instance);
        var clock = Stopwatch.StartNew();
        CaptionerTrainer.Train(model, examples, training with { Epochs = Steps }, NoObserver.Instance);
        var train = Steps / clock.Elapsed.TotalSeconds;

        model.Predict(pixels);
        clock.Restart();
        for (var i = 0; i < InferenceBatches; i++) model.Logits(pixels);
        return (train, InferenceBatches * BatchSize / clock.Elapsed.TotalSeconds);
    }

    private static (double Train, double Infer, string Version) PyTorch(CaptionerSpec spec, int[][] targets, BenchEnvironment environment)
    {
        var figures = PyTorchYardstick.Run(environment, "captioner.py", JsonSerializer.Serialize(new
        {
            threads = Threads, imageSize = spec.ImageSize, batchSize = BatchSize, widths = spec.Widths, grid = CaptionerNetwork.Grid, warmup = Warmup, steps = Steps,
            inferenceBatches = InferenceBatches, targets,
            heads = spec.Heads.Select(h => new { values = h.Values.Count, multiple = h.MultipleChoice }),
            regionClasses = spec.Regions().Select(r => Enumerable.Range(0, CaptionerSpec.ParsingClassCount).Select(c => r.Contains((short)c) ? 1 : 0)),
            regionOfOutputs = spec.RegionOfOutputs(),
        }));
        return (figures.GetProperty("trainStepsPerSecond").GetDouble(), figures.GetProperty("inferenceImagesPerSecond").GetDouble(), figures.GetProperty("torch").GetString()!);
    }

    private sealed class BatchData(IReadOnlyList<CaptionerExample> examples) : ICaptionerData
    {
        public int Count => examples.Count;

        public CaptionerExample Get(int index) => examples[index];
    }

    private sealed class NoObserver : ITrainingObserver
    {
        public static readonly NoObserver Instance = new();

        public void Step(int step, int totalSteps, double loss) { }

        public void Checkpoint(int step, Action<Stream> write) { }

        public bool CancellationRequested => false;
    }
}

using AnnotateAnyone.Model.Compute;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Diffusion;

/// <param name="Lambda">Weight of the HOLA loss (0: plain text-to-image fine-tuning, the ablation's baseline).</param>
/// <param name="CaptionDropout">Share of samples trained with the empty caption, which classifier-free guidance needs.</param>
public sealed record DaringTrainingOptions(
    int Steps = 300,
    int BatchSize = 8,
    double LearningRate = 3e-4,
    double Lambda = 1.0,
    int Seed = 1,
    int CheckpointEvery = 50,
    int Threads = 2,
    double CaptionDropout = 0.1,
    double DropProbability = 0.1,
    double OptionalDropProbability = 0.5);

/// <summary>The losses of one step: the denoising (noise prediction) loss and the HOLA loss (0 when no sample had masks).</summary>
public readonly record struct DaringLosses(double Denoising, double Hola);

public interface IDaringObserver : ITrainingControl
{
    void Step(int step, int totalSteps, DaringLosses losses);
}

/// <summary>
/// Daring training: epsilon prediction at uniformly drawn timesteps, captions discretized per sample (groups
/// shuffled and dropped) with caption dropout, plus λ times the HOLA loss on the probed cross-attention layers;
/// AdamW with gradient clipping. Every random choice depends only on the seed and the step, so a run resumed
/// from a checkpoint (weights, optimizer, step) ends with the same weights as an uninterrupted one.
/// </summary>
public static class DaringTrainer
{
    private const uint CheckpointMagic = 0xDA121001;

    public static void Train(DaringModel model, IDaringData data, DaringTrainingOptions options, IDaringObserver observer, Stream? resumeFrom = null)
    {
        if (data.Count == 0) throw new ArgumentException("There are no training images.");
        torch.set_num_threads(options.Threads);
        var network = model.Network;
        var optimizer = optim.AdamW(network.parameters(), lr: options.LearningRate, weight_decay: 1e-2);
        var start = resumeFrom is null ? 0 : TrainingCheckpoint.Restore(resumeFrom, CheckpointMagic, "Daring", network, optimizer);
        var plan = new TrainingPlan(data.Count, options.BatchSize, options.Seed);
        var discretizer = model.Discretizer(options.DropProbability, options.OptionalDropProbability);

        network.train();
        for (var step = start; step < options.Steps; step++)
        {
            if (observer.CancellationRequested) throw new OperationCanceledException("Training was cancelled.");
            var losses = Step(model, plan.Batch(step).Select(data.Get).ToList(), discretizer, optimizer, options, step + 1, plan.StepSeed(step));
            observer.Step(step + 1, options.Steps, losses);
            if ((step + 1) % options.CheckpointEvery == 0 && step + 1 < options.Steps)
                observer.Checkpoint(step + 1, stream => TrainingCheckpoint.Save(stream, CheckpointMagic, step + 1, network, optimizer));
        }
        network.eval();
    }

    private static DaringLosses Step(DaringModel model, IReadOnlyList<DaringExample> batch, CaptionDiscretizer discretizer,
        OptimizerHelper optimizer, DaringTrainingOptions options, int step, int seed)
    {
        var random = new Random(seed);
        var spec = model.Spec;
        var captions = batch.Select(e => random.NextDouble() < options.CaptionDropout ? discretizer.Empty() : discretizer.Compose(e.Groups, random)).ToList();
        var timesteps = batch.Select(_ => random.Next(model.Schedule.Timesteps)).ToArray();
        using var scope = NewDisposeScope();
        torch.random.manual_seed(seed);
        var clean = DiffusionPixels.ToTensor(batch.Select(e => e.Pixels).ToList(), spec.ImageSize, model.Device);
        var noise = randn_like(clean);
        using var targets = HolaTargets.Build(captions, batch.Select(e => e.ParsingMap).ToList(), spec.ImageSize, spec.HolaResolution, spec.MaxTokens, model.Device);
        var hola = options.Lambda > 0 && targets.Any;

        optimizer.zero_grad();
        using var pause = GcPause.Start();
        model.Probe.Recording = hola;
        Tensor predicted;
        try
        {
            predicted = model.PredictNoise(model.Schedule.AddNoise(clean, noise, timesteps), timesteps, model.Encode(captions));
        }
        finally
        {
            model.Probe.Recording = false;
        }
        var denoising = nn.functional.mse_loss(predicted, noise);
        var holaLoss = hola ? HolaLoss.Compute(model.Probe.Maps, targets) : null;
        model.Probe.Clear();
        var losses = new DaringLosses(denoising.item<float>(), holaLoss?.item<float>() ?? 0);
        TrainingDivergedException.ThrowIfNotFinite("Daring", step, options.Steps, "denoising", losses.Denoising);
        TrainingDivergedException.ThrowIfNotFinite("Daring", step, options.Steps, "HOLA", losses.Hola);
        var total = holaLoss is null ? denoising : denoising + holaLoss * options.Lambda;
        total.backward();
        nn.utils.clip_grad_norm_(model.Network.parameters(), 1.0);
        optimizer.step();
        return losses;
    }
}

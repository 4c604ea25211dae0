using AnnotateAnyone.Model.Compute;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AnnotateAnyone.Model.Captioner;

public sealed record TrainingOptions(int Epochs = 12, int BatchSize = 32, double LearningRate = 2e-3, int Seed = 1, int CheckpointEvery = 200, int Threads = 2);

/// <summary>What a training run reports as it goes; the Worker records curves and stores checkpoints.</summary>
public interface ITrainingObserver : ITrainingControl
{
    void Step(int step, int totalSteps, double loss);
}

/// <summary>How one head does on held-out images: accuracy, calibration, and each answer's confidence and correctness.</summary>
public sealed record HeadEvaluation(string Attribute, int Count, double Accuracy, double CalibrationError, float Temperature,
    IReadOnlyList<(float Confidence, bool Correct)> Outcomes);

public sealed record CaptionerEvaluation(IReadOnlyList<HeadEvaluation> Heads, double UsableAccuracy)
{
    /// <summary>The one number versions are compared by: mean accuracy over heads that have held-out labels.</summary>
    public double MeanAccuracy => Heads.Where(h => h.Count > 0).Select(h => h.Accuracy).DefaultIfEmpty(0).Average();
}

/// <summary>
/// Trains a captioner with Adam on shuffled mini-batches (random flips and shifts, cosine learning-rate decay), one dispose scope per step.
/// The data order and dropout depend only on the seed and the step, so a run resumed from a checkpoint (model,
/// optimizer and position) continues exactly as an uninterrupted one would.
/// </summary>
public static class CaptionerTrainer
{
    private const uint CheckpointMagic = 0xCA910001;

    public static void Train(CaptionerModel model, ICaptionerData data, TrainingOptions options, ITrainingObserver observer, Stream? resumeFrom = null)
    {
        torch.set_num_threads(options.Threads);
        var network = model.Network;
        var optimizer = optim.Adam(network.parameters(), lr: options.LearningRate, weight_decay: 1e-4);
        var plan = new TrainingPlan(data.Count, options.BatchSize, options.Seed);
        var totalSteps = plan.StepsPerEpoch * options.Epochs;
        var start = resumeFrom is null ? 0 : TrainingCheckpoint.Restore(resumeFrom, CheckpointMagic, "captioner", network, optimizer);

        network.train();
        for (var step = start; step < totalSteps; step++)
        {
            if (observer.CancellationRequested) throw new OperationCanceledException("Training was cancelled.");
            foreach (var group in optimizer.ParamGroups) group.LearningRate = LearningRateAt(step, totalSteps, options.LearningRate);
            var batch = plan.Batch(step).Select(data.Get).ToList();
            var random = new Random(plan.StepSeed(step));
            double lossValue;
            using (NewDisposeScope())
            {
                torch.random.manual_seed(plan.StepSeed(step));
                var augmentation = Augmentation.Draw(random);
                var device = network.parameters().First().device;
                using var images = Batches.Images(batch.Select(e => e.Pixels).ToList(), model.Spec.ImageSize, device, augmentation);
                var maps = batch.Select(e => e.Parsing).ToList();
                using var shares = Batches.Parsing(maps, CaptionerNetwork.ParsingSide(model.Spec.ImageSize), device, augmentation);
                using var reads = Batches.Regions(maps, model.Spec.Regions().Count, device, augmentation);
                // Face crops are kept whichever way the regions are read: a crop is a picture, not a parse.
                using var faces = Batches.Faces(maps, device, augmentation);
                using var geometry = Batches.Geometry(maps, device, augmentation);
                // Half the images read their regions from their own map, half from the network's parsing: images without a
                // map must be read as well as those with one.
                using var kept = tensor(batch.Select(_ => random.Next(2) == 0 ? 1f : 0f).ToArray(), [batch.Count, 1, 1, 1], device: device);
                using var given = shares?.mul(kept);
                using var givenReads = reads?.mul(kept.view(batch.Count, 1, 1));
                optimizer.zero_grad();
                using var pause = GcPause.Start();
                using var output = network.Forward(images, given, givenReads, faces, geometry);
                var loss = CaptionerLoss.Compute(output, batch, model.Spec, shares);
                lossValue = loss.item<float>();
                TrainingDivergedException.ThrowIfNotFinite("Captioner", step + 1, totalSteps, "attribute and parsing", lossValue);
                loss.backward();
                optimizer.step();
            }
            observer.Step(step + 1, totalSteps, lossValue);
            if ((step + 1) % options.CheckpointEvery == 0 && step + 1 < totalSteps)
                observer.Checkpoint(step + 1, stream => TrainingCheckpoint.Save(stream, CheckpointMagic, step + 1, network, optimizer));
        }
        network.eval();
    }

    /// <summary>
    /// Cosine decay from the configured rate to zero over the run: the last epochs settle into a minimum instead of
    /// bouncing around it, which is what calibrated confidences need. A function of the step alone, so resuming needs no state.
    /// </summary>
    public static double LearningRateAt(int step, int totalSteps, double peak) => peak * 0.5 * (1 + Math.Cos(Math.PI * step / totalSteps));

    /// <summary>Evaluates on held-out data, fits each head's temperature there, and stores the temperatures in the model.</summary>
    public static CaptionerEvaluation Evaluate(CaptionerModel model, ICaptionerData heldOut, int batchSize = 64, bool fitTemperatures = true)
    {
        var spec = model.Spec;
        var offsets = spec.Offsets();
        var perHead = spec.Heads.Select(_ => new List<(float[] Logits, int Target)>()).ToArray();
        var usable = new List<bool>();
        for (var start = 0; start < heldOut.Count; start += batchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(batchSize, heldOut.Count - start)).Select(heldOut.Get).ToList();
            var logits = model.Logits(batch.Select(e => e.Pixels).ToList(), batch.Select(e => e.Parsing).ToList());
            for (var b = 0; b < batch.Count; b++)
            {
                var row = logits.AsSpan(b * spec.OutputCount, spec.OutputCount);
                for (var h = 0; h < spec.Heads.Count; h++)
                    if (batch[b].Targets[h] >= 0) perHead[h].Add((row.Slice(offsets[h], spec.Heads[h].Values.Count).ToArray(), batch[b].Targets[h]));
                if (batch[b].Usable >= 0) usable.Add(row[spec.UsableIndex] > 0 == (batch[b].Usable == 1));
            }
        }

        var heads = new List<HeadEvaluation>();
        for (var h = 0; h < spec.Heads.Count; h++)
        {
            var head = spec.Heads[h];
            if (fitTemperatures) model.Temperatures[h] = Calibration.FitTemperature(perHead[h], head.MultipleChoice);
            var outcomes = perHead[h].Select(e =>
            {
                var prediction = HeadDecoding.Decode(e.Logits, head.MultipleChoice, model.Temperatures[h]);
                return (prediction.Confidence, HeadDecoding.IsCorrect(prediction, e.Target, head.MultipleChoice));
            }).ToList();
            heads.Add(new HeadEvaluation(head.Attribute, outcomes.Count, outcomes.Count == 0 ? double.NaN : outcomes.Average(o => o.Item2 ? 1.0 : 0.0),
                Calibration.ExpectedCalibrationError(outcomes), model.Temperatures[h], outcomes));
        }
        return new CaptionerEvaluation(heads, usable.Count == 0 ? double.NaN : usable.Average(u => u ? 1.0 : 0.0));
    }
}

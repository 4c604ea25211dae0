using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Retrains the captioner on everything humans verified: trains with checkpoints in the object store (a killed
/// Worker's successor resumes from the last one), evaluates on the held-out images, calibrates, registers the new
/// version with its metrics and lineage, and promotes it (unless told to leave that to ops) only if it beats the
/// active version on the same held-out images; a promoted version then re-proposes labels for every image still waiting.
/// </summary>
internal sealed class TrainCaptionerJob(
    TrainingSet trainingSet,
    VerifiedImages verifiedImages,
    CaptionerStore captioners,
    IObjectStore store,
    IDbContextFactory<AnnotateDbContext> contexts,
    TaxonomyStore taxonomy,
    CaptionerRegistry registry,
    RoundService rounds,
    WorkerIdentity worker,
    IOptions<CaptionerOptions> options) : IJobHandler
{
    public JobKind Kind => JobKind.TrainCaptioner;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<TrainCaptionerParameters>();
        try
        {
            return await TrainAsync(context, parameters, cancellationToken);
        }
        catch (Exception e) when (parameters.RoundId is not null)
        {
            if (await context.EndsTheRunAsync(e, cancellationToken)) await rounds.MarkFailedAsync(parameters.RoundId.Value, RoundStatus.Training, e);
            throw;
        }
    }

    private async Task<object?> TrainAsync(JobContext context, TrainCaptionerParameters parameters, CancellationToken cancellationToken)
    {
        var o = options.Value;
        // The taxonomy and the active version are read once: if ops activate or promote others while this run trains, the
        // run still holds out, starts from, is compared with and names as its parent one version, on one taxonomy.
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        var active = await captioners.ActiveAsync(cancellationToken);
        var spec = o.SpecFor(CaptionerHeads.For(index));

        var folder = Path.Combine(Path.GetTempPath(), "annotate-training");
        // Refused before any thumbnail is read when the count alone shows too few, and after caching when the split does.
        var verified = await verifiedImages.CountAsync(cancellationToken);
        if (verified < VerifiedImages.Fewest) throw TooFewVerified($"Only {verified} verified image(s)");
        var activeMetrics = CaptionerMetrics.From(active?.Metrics);
        var share = HeldOutShare.For(verified, activeMetrics?.HeldOutShare, o);
        await context.LogAsync("info", $"Holding out {share:P1} of {verified:N0} verified images; shrinking their thumbnails and parsing maps into the training cache.", cancellationToken);
        // The held-out side is cached first and its ids kept (the cache asks its side one image at a time): reviews go on
        // while a run trains, and the active version must be compared on exactly the images the candidate was evaluated on.
        var heldOutIds = new HashSet<long>();
        bool HashHoldsOut(TrainingImage image) => TrainingSet.IsHeldOut(image.Sha256, share);
        using var heldOutData = await trainingSet.CacheAsync(spec, image => HashHoldsOut(image) && heldOutIds.Add(image.ImageId), folder, cancellationToken);
        bool HeldOut(TrainingImage image) => heldOutIds.Contains(image.ImageId);
        using var trainData = await trainingSet.CacheAsync(spec, image => !HashHoldsOut(image), folder, cancellationToken);
        if (trainData.Count < VerifiedImages.FewestToTrainOn || heldOutData.Count < VerifiedImages.FewestHeldOut)
            throw TooFewVerified($"Only {trainData.Count + heldOutData.Count} verified image(s) ({trainData.Count} to train on, {heldOutData.Count} held out)");
        await context.LogAsync("info", $"Training on {trainData.Count} verified images, evaluating on {heldOutData.Count} held out, on {worker.Device.Name}, " +
            $"with the {(spec.Backbone == CaptionerBackbone.ResNet18 ? "ResNet-18" : "compact")} encoder at {spec.ImageSize} px.", cancellationToken);
        using var model = new CaptionerModel(spec, worker.Device.Torch);
        // The store keeps loaded versions for pre-annotation to share: not disposed here.
        var activeModel = active is null ? null : await LoadOrExplainAsync(context, active, cancellationToken);
        await StartFromAsync(context, model, active, activeModel, cancellationToken);

        var checkpoints = new CheckpointSlots(store, $"checkpoints/captioner/run-{context.Run.Id}");
        await using var resume = await checkpoints.ReadNewestAsync(cancellationToken);
        if (resume is not null) await context.LogAsync("info", "Resuming from the last checkpoint.", cancellationToken);
        var observer = new JobTrainingObserver(context, checkpoints, cancellationToken);
        var trainingOptions = new TrainingOptions(parameters.Epochs ?? o.Epochs, o.BatchSize, o.LearningRate, Seed: (int)(context.Run.Id % 100_000), o.CheckpointEvery, o.Threads);
        await Task.Factory.StartNew(() => CaptionerTrainer.Train(model, trainData, trainingOptions, observer, resume),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var evaluation = CaptionerTrainer.Evaluate(model, heldOutData);
        var (comparedAccuracy, candidateAccuracy) = await CompareWithActiveAsync(evaluation, activeModel, heldOutData, HeldOut, folder, cancellationToken);
        var comparedWith = activeModel is null ? null : active;
        await context.RecordMetricsAsync(observer.LastStep, new Dictionary<string, double> { ["validation accuracy"] = evaluation.MeanAccuracy }, cancellationToken);

        var metrics = new CaptionerMetrics(evaluation.MeanAccuracy, evaluation.UsableAccuracy, trainData.Count, heldOutData.Count,
            evaluation.Heads.Select(h => new HeadMetrics(h.Attribute, h.Count, h.Accuracy, h.CalibrationError, h.Temperature, ConfidenceProfile.From(h.Outcomes))).ToList(),
            comparedWith?.Number, comparedAccuracy, share, spec.Backbone.ToString());
        var won = comparedWith is null || candidateAccuracy > comparedAccuracy;
        var version = await RegisterAsync(context, parameters, metrics, index, comparedWith, model, cancellationToken);
        await checkpoints.DeleteAsync(cancellationToken);
        var promote = parameters.AutoPromote && won
            && await registry.PromoteOverAsync(version.Number, active?.Number, context.Run.CreatedBy, cancellationToken) is not null;
        // The round ends once its captioner is registered and, if it won, promoted: whoever sees the round completed sees both.
        if (parameters.RoundId is { } roundId) await CompleteRoundAsync(roundId, cancellationToken);
        await context.LogAsync("info", promote ? $"Captioner v{version.Number} is now active."
            : $"Captioner v{version.Number} is registered as a candidate: " + (!parameters.AutoPromote ? "promote it by hand."
                : !won ? "it did not beat the active version."
                : $"another version was promoted while it trained (it was compared with {(active is null ? "none" : $"v{active.Number}")}); compare them and promote by hand."),
            cancellationToken);
        return new
        {
            Version = version.Number,
            Promoted = promote,
            evaluation.MeanAccuracy,
            ComparedWithVersion = comparedWith?.Number,
            ComparedMeanAccuracy = comparedAccuracy,
            Train = trainData.Count,
            HeldOut = heldOutData.Count,
            HeldOutShare = share,
        };
    }

    private static InvalidOperationException TooFewVerified(string counts) => new(VerifiedImages.TooFew(counts));

    /// <summary>
    /// Where the weights start: the active version when there is one (retraining continues its learning), else the
    /// configured pretrained encoder, else random. A resumed run then overwrites them with its checkpoint.
    /// </summary>
    private async Task StartFromAsync(JobContext context, CaptionerModel model, ModelVersion? active, CaptionerModel? activeModel, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.ContinueFromActive && activeModel is not null)
        {
            var carried = model.ContinueFrom(activeModel);
            if (carried >= 0)
            {
                await context.LogAsync("info", $"Continuing from captioner v{active!.Number} ({carried} of {model.Spec.Heads.Count} heads carried over).", cancellationToken);
                return;
            }
        }
        if (o.PretrainedEncoder is { Length: > 0 } pretrained)
        {
            model.LoadPretrainedEncoder(pretrained);
            await context.LogAsync("info", $"Starting from the pretrained encoder {pretrained}.", cancellationToken);
        }
    }

    /// <summary>
    /// The active version's model, or null when its weights no longer fit the captioner's network (saved by an earlier
    /// architecture): the run then goes on as if there were none, and says so, so an upgrade can always retrain.
    /// </summary>
    private async Task<CaptionerModel?> LoadOrExplainAsync(JobContext context, ModelVersion active, CancellationToken cancellationToken)
    {
        try
        {
            return await captioners.LoadAsync(active.Id, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            await context.LogAsync("warning", $"Captioner v{active.Number} cannot be loaded, so this run neither starts from it nor is compared with it: {e.Message}", cancellationToken);
            return null;
        }
    }

    /// <summary>
    /// Both versions on the same held-out images, over the attributes both know (no accuracy for the active one when there
    /// is none, or it cannot be loaded). The active version reads the candidate's held-out cache when it has the same input
    /// side and heads (a round's retraining on an unchanged taxonomy), and a cache of the same images of its own otherwise.
    /// </summary>
    private async Task<(double? ActiveAccuracy, double CandidateAccuracy)> CompareWithActiveAsync(CaptionerEvaluation candidate,
        CaptionerModel? activeModel, PixelCache heldOutData, Func<TrainingImage, bool> heldOut, string folder, CancellationToken cancellationToken)
    {
        if (activeModel is null) return (null, candidate.MeanAccuracy);
        using var ownData = heldOutData.Serves(activeModel.Spec) ? null : await trainingSet.CacheAsync(activeModel.Spec, heldOut, folder, cancellationToken);
        var incumbent = CaptionerTrainer.Evaluate(activeModel, ownData ?? heldOutData, fitTemperatures: false);
        var shared = candidate.Heads.Where(h => h.Count > 0).Select(h => h.Attribute)
            .Intersect(incumbent.Heads.Where(h => h.Count > 0).Select(h => h.Attribute)).ToHashSet();
        double Mean(CaptionerEvaluation e) => e.Heads.Where(h => shared.Contains(h.Attribute)).Select(h => h.Accuracy).DefaultIfEmpty(0).Average();
        return (Mean(incumbent), Mean(candidate));
    }

    private Task<ModelVersion> RegisterAsync(JobContext context, TrainCaptionerParameters parameters, CaptionerMetrics metrics,
        TaxonomyIndex index, ModelVersion? parent, CaptionerModel model, CancellationToken cancellationToken) =>
        contexts.RegisterAsync(new ModelVersion
        {
            Kind = ModelKind.Captioner,
            Name = "captioner",
            ParentId = parent?.Id,
            TaxonomyVersionId = index.Version.Id,
            TrainedOnRoundId = parameters.RoundId,
            JobRunId = context.Run.Id,
            Metrics = metrics.ToDocument(),
        }, CaptionerStore.Prefix, (id, ct) => captioners.SaveAsync(id, model, ct), cancellationToken);

    private async Task CompleteRoundAsync(int roundId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Rounds.Where(r => r.Id == roundId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RoundStatus.Completed).SetProperty(r => r.CompletedAt, DateTimeOffset.UtcNow)
                .SetProperty(r => r.FailedWhile, (RoundStatus?)null).SetProperty(r => r.Failure, (string?)null), cancellationToken);
    }
}

/// <summary>
/// Connects the synchronous training loop to the job: loss curves and progress every few steps, checkpoints
/// written to the object store before training goes on, and the operator's cancellation.
/// </summary>
internal sealed class JobTrainingObserver(JobContext context, CheckpointSlots checkpoints, CancellationToken cancellationToken) : ITrainingObserver
{
    private const int RecordEvery = 10;

    public int LastStep { get; private set; }

    public bool CancellationRequested => cancellationToken.IsCancellationRequested;

    public void Step(int step, int totalSteps, double loss)
    {
        LastStep = step;
        if (step % RecordEvery != 0 && step != totalSteps) return;
        context.RecordMetricsAsync(step, new Dictionary<string, double> { ["loss"] = loss }, cancellationToken).GetAwaiter().GetResult();
        context.ReportProgressAsync((float)step / totalSteps, $"step {step:N0} of {totalSteps:N0}, loss {loss:0.000}", cancellationToken).GetAwaiter().GetResult();
    }

    public void Checkpoint(int step, Action<Stream> write) => checkpoints.WriteAsync(step, write, cancellationToken).GetAwaiter().GetResult();
}

using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Model.Diffusion;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace AnnotateAnyone.Worker.Daring;

/// <summary>
/// Trains a Daring text-to-image model on a published release (or a round's verified images): caches the images
/// once, trains with checkpoints in the object store (a killed Worker's successor resumes from the last one),
/// evaluates per body-part group on the held-out images and registers the version with its report. An ablation
/// trains a second model with λ = 0 from the same seed and budget and stores both reports side by side.
/// </summary>
internal sealed class TrainDaringJob(
    DaringImages images,
    DaringStore models,
    CaptionerStore captioners,
    IObjectStore store,
    IDbContextFactory<AnnotateDbContext> contexts,
    WorkerIdentity worker,
    IOptions<DaringOptions> options) : IJobHandler
{
    public JobKind Kind => JobKind.TrainDaring;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<TrainDaringParameters>();
        if (parameters.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join(" ", problems));
        var o = options.Value;
        var source = await images.OpenAsync(parameters, o.ValidationShare, cancellationToken);
        var spec = o.Spec(parameters.Resolution, Vocabulary(source.Taxonomy));

        var heldOut = new List<DaringImage>();
        var (cache, skipped) = await DaringCache.FillAsync(TrainingImages(source, heldOut, o.EvaluationImages), store, spec.ImageSize,
            Path.Combine(Path.GetTempPath(), "annotate-daring"), cancellationToken);
        using var _ = cache;
        if (cache.Count == 0) throw new InvalidOperationException($"{source.Description} has no training images with thumbnails: nothing to train on.");
        var evaluation = await LoadHeldOutAsync(heldOut, spec.ImageSize, cancellationToken);
        await context.LogAsync("info", $"Training on {cache.Count:N0} images of {source.Description} ({cache.WithMaps:N0} with parsing maps{(skipped > 0 ? $", {skipped} skipped without thumbnail" : "")}), " +
            $"evaluating on {evaluation.Count} held out, on {worker.Device.Name}.", cancellationToken);
        if (cache.WithMaps == 0 && parameters.Lambda > 0)
            await context.LogAsync("warning", "No image has a parsing map: the HOLA loss has nothing to pull towards and training uses the noise loss alone.", cancellationToken);

        var captioner = await ActiveCaptionerAsync(cancellationToken);
        var lambdas = parameters.Ablation ? new[] { parameters.Lambda, 0 } : [parameters.Lambda];
        var trained = new List<(ModelVersion Version, DaringReport Report)>();
        foreach (var lambda in lambdas)
            trained.Add(await TrainOneAsync(context, parameters with { Lambda = lambda }, lambdas.Length > 1, spec, cache, evaluation, captioner, source, cancellationToken));

        if (trained.Count == 2) await CompareAsync(context, trained[0], trained[1], cancellationToken);
        return new
        {
            Versions = trained.Select(t => t.Version.Number).ToList(),
            Reports = trained.Select(t => t.Report).ToList(),
        };
    }

    /// <summary>Every word the taxonomy can put in a caption.</summary>
    private static IReadOnlyList<string> Vocabulary(TaxonomyVersion taxonomy) => CaptionTokenizer.VocabularyOf(CaptionComposer.PhrasesOf(taxonomy.ToSpec()));

    /// <summary>The source's training images; held-out ones are set aside (the first few kept for evaluation).</summary>
    private static async IAsyncEnumerable<DaringImage> TrainingImages(DaringSource source, List<DaringImage> heldOut, int keep)
    {
        await foreach (var (image, isHeldOut) in source.Images)
        {
            if (!isHeldOut) yield return image;
            else if (heldOut.Count < keep) heldOut.Add(image);
        }
    }

    private async Task<IReadOnlyList<HeldOutImage>> LoadHeldOutAsync(IReadOnlyList<DaringImage> heldOut, int size, CancellationToken cancellationToken)
    {
        var loaded = new List<HeldOutImage>();
        foreach (var image in heldOut)
            if (await DaringCache.LoadAsync(image, store, size, cancellationToken) is { } example) loaded.Add(new HeldOutImage(image, example));
        return loaded;
    }

    private async Task<(CaptionerModel Model, int Number)?> ActiveCaptionerAsync(CancellationToken cancellationToken) =>
        await captioners.ActiveAsync(cancellationToken) is { } active ? (await captioners.LoadAsync(active.Id, cancellationToken), active.Number) : null;

    private async Task<(ModelVersion, DaringReport)> TrainOneAsync(JobContext context, TrainDaringParameters parameters, bool ablation, DiffusionSpec spec,
        DaringCache cache, IReadOnlyList<HeldOutImage> heldOut, (CaptionerModel Model, int Number)? captioner, DaringSource source, CancellationToken cancellationToken)
    {
        var label = ablation ? $" (λ = {parameters.Lambda:0.###})" : "";
        if (await RegisteredAsync(context.Run.Id, parameters.Lambda, cancellationToken) is { } done)
        {
            await context.LogAsync("info", $"Daring v{done.Number}{label} was finished before the Worker stopped; keeping it.", cancellationToken);
            return (done, DaringReport.From(done.Metrics)!);
        }

        // Both models of an ablation start from the same weights: only λ differs.
        torch.random.manual_seed(parameters.Seed);
        using var model = new DaringModel(spec, worker.Device.Torch);
        var checkpoints = new CheckpointSlots(store, $"checkpoints/daring/run-{context.Run.Id}-lambda-{parameters.Lambda:0.######}");
        await using var resume = await checkpoints.ReadNewestAsync(cancellationToken);
        if (resume is not null) await context.LogAsync("info", $"Resuming{label} from the last checkpoint.", cancellationToken);
        var observer = new DaringJobObserver(context, checkpoints, label, cancellationToken);
        var training = new DaringTrainingOptions(parameters.Steps, parameters.BatchSize, parameters.LearningRate, parameters.Lambda, parameters.Seed,
            parameters.CheckpointEvery, options.Value.Threads);
        await Task.Factory.StartNew(() => DaringTrainer.Train(model, cache, training, observer, resume), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await context.ReportProgressAsync(1, $"evaluating{label} on {heldOut.Count} held-out images", cancellationToken);
        var o = options.Value;
        var groups = DaringEvaluation.Score(model, heldOut, captioner?.Model, source.Taxonomy, parameters.Seed, o.EvaluationSteps, o.EvaluationGuidance);
        var report = new DaringReport(parameters.Lambda, parameters.Steps, parameters.Seed, cache.Count, heldOut.Count, captioner?.Number, groups,
            DaringEvaluation.Mean(groups.Select(g => g.Alignment)), DaringEvaluation.Mean(groups.Select(g => g.AttentionInMask)),
            observer.Last.Denoising, observer.Last.Hola);
        var version = await RegisterAsync(context, parameters, source, report, model, cancellationToken);
        await checkpoints.DeleteAsync(cancellationToken);
        await context.LogAsync("info", $"Daring v{version.Number}{label} registered: alignment {Percent(report.MeanAlignment)}, attention in mask {Percent(report.MeanAttentionInMask)}.", cancellationToken);
        return (version, report);
    }

    private async Task<ModelVersion?> RegisteredAsync(long runId, double lambda, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var versions = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Diffusion && m.JobRunId == runId).ToListAsync(cancellationToken);
        return versions.FirstOrDefault(v => DaringReport.From(v.Metrics)?.Lambda == lambda);
    }

    private Task<ModelVersion> RegisterAsync(JobContext context, TrainDaringParameters parameters, DaringSource source, DaringReport report,
        DaringModel model, CancellationToken cancellationToken) =>
        contexts.RegisterAsync(new ModelVersion
        {
            Kind = ModelKind.Diffusion,
            Name = "daring",
            TaxonomyVersionId = source.Taxonomy.Id,
            TrainedOnReleaseId = parameters.ReleaseId,
            TrainedOnRoundId = parameters.RoundId,
            JobRunId = context.Run.Id,
            Metrics = report.ToDocument(),
        }, DaringStore.Prefix, (id, ct) => models.SaveAsync(id, model, ct), cancellationToken);

    /// <summary>Stores each ablation model's report with the other's scores, and logs them side by side.</summary>
    private async Task CompareAsync(JobContext context, (ModelVersion Version, DaringReport Report) hola, (ModelVersion Version, DaringReport Report) plain,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var (self, other) in new[] { (hola, plain), (plain, hola) })
        {
            var report = self.Report with
            {
                ComparedWith = new DaringComparison(other.Version.Number, other.Report.Lambda, other.Report.Groups, other.Report.MeanAlignment, other.Report.MeanAttentionInMask),
            };
            await db.ModelVersions.Where(m => m.Id == self.Version.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Metrics, report.ToDocument()), cancellationToken);
        }
        var lines = new List<string> { $"group: alignment λ={hola.Report.Lambda:0.###} / λ=0, attention in mask λ={hola.Report.Lambda:0.###} / λ=0" };
        foreach (var group in hola.Report.Groups)
        {
            var baseline = plain.Report.Groups.FirstOrDefault(g => g.Key == group.Key);
            lines.Add($"{group.Name}: {Percent(group.Alignment)} / {Percent(baseline?.Alignment)}, {Percent(group.AttentionInMask)} / {Percent(baseline?.AttentionInMask)}");
        }
        lines.Add($"mean: {Percent(hola.Report.MeanAlignment)} / {Percent(plain.Report.MeanAlignment)}, {Percent(hola.Report.MeanAttentionInMask)} / {Percent(plain.Report.MeanAttentionInMask)}");
        await context.LogAsync("info", "HOLA ablation (v" + hola.Version.Number + " vs v" + plain.Version.Number + "):\n" + string.Join("\n", lines), cancellationToken);
    }

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%" : "n/a";
}

/// <summary>
/// Daring's losses as curves, every step (one pair per model of an ablation), progress, checkpoints and
/// cancellation for the training loop. A diffusion step takes long enough that a row per step costs nothing.
/// </summary>
internal sealed class DaringJobObserver(JobContext context, CheckpointSlots checkpoints, string label, CancellationToken cancellationToken) : IDaringObserver
{
    public DaringLosses Last { get; private set; }

    public bool CancellationRequested => cancellationToken.IsCancellationRequested;

    public void Step(int step, int totalSteps, DaringLosses losses)
    {
        Last = losses;
        context.RecordMetricsAsync(step, new Dictionary<string, double> { [$"denoising loss{label}"] = losses.Denoising, [$"hola loss{label}"] = losses.Hola }, cancellationToken)
            .GetAwaiter().GetResult();
        context.ReportProgressAsync((float)step / totalSteps, $"step {step:N0} of {totalSteps:N0}{label}, denoising {losses.Denoising:0.0000}, HOLA {losses.Hola:0.0000}", cancellationToken)
            .GetAwaiter().GetResult();
    }

    public void Checkpoint(int step, Action<Stream> write) => checkpoints.WriteAsync(step, write, cancellationToken).GetAwaiter().GetResult();
}

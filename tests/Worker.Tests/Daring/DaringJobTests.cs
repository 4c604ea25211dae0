using System.Text.Json;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Worker.Daring;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.Tests.Releases;
using AnnotateAnyone.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace AnnotateAnyone.Worker.Tests.Daring;

/// <summary>Daring's jobs on a published release of synthetic people (with their parsing maps), with a model small enough for seconds.</summary>
public sealed class DaringJobTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    private static readonly DaringOptions Small = new()
    {
        BlockChannels = [16, 32],
        NormGroups = 8,
        TextWidth = 32,
        TextLayers = 1,
        Threads = 2,
        EvaluationImages = 4,
        EvaluationSteps = 3,
    };

    private readonly WorkerIdentity _worker = new(ComputeDevice.Detect());

    private async Task<JobRun> QueueAsync(JobKind kind, object parameters)
    {
        await using var db = await harness.Database.Contexts.CreateDbContextAsync();
        var run = new JobRun { Kind = kind, Queue = JobQueues.For(kind), Parameters = JsonSerializer.SerializeToDocument(parameters, parameters.GetType(), JobScheduler.ParameterJson) };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run;
    }

    private DaringStore Models() => new(harness.Store, _worker);

    private async Task<object?> TrainAsync(JobRun run, CancellationToken cancellationToken = default, IObjectStore? store = null)
    {
        var images = new DaringImages(harness.Database.Contexts, harness.DataSource, harness.Store, harness.Database.Taxonomy());
        var captioners = new CaptionerStore(harness.Store, harness.Database.Contexts, _worker);
        var job = new TrainDaringJob(images, Models(), captioners, store ?? harness.Store, harness.Database.Contexts, _worker, Options.Create(Small));
        return await job.RunAsync(new JobContext(run, harness.Database.Contexts, TimeProvider.System), cancellationToken);
    }

    private async Task<Release> PublishedAsync(string version)
    {
        // Half the release held out: the default tenth of 40 people leaves none now and then (the split is by hash).
        var release = await harness.DefineAsync("Daring-Test", version, new ReleaseSpec { Splits = new ReleaseSplits(Validation: 0.25, Test: 0.25) });
        return await harness.BuildAsync(release.Id);
    }

    [Fact]
    public async Task An_ablation_trains_both_models_on_a_release_and_stores_their_reports_side_by_side()
    {
        var release = await PublishedAsync("1.0");
        var captioner = await ActivateUntrainedCaptionerAsync();
        var run = await QueueAsync(JobKind.TrainDaring, new TrainDaringParameters(ReleaseId: release.Id, Steps: 6, BatchSize: 4, Resolution: 32, CheckpointEvery: 3, Ablation: true));

        await TrainAsync(run);

        await using var db = await harness.Database.Contexts.CreateDbContextAsync();
        var versions = await db.ModelVersions.AsNoTracking().Where(m => m.JobRunId == run.Id).OrderBy(m => m.Number).ToListAsync();
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v =>
        {
            Assert.Equal(ModelKind.Diffusion, v.Kind);
            Assert.Equal(release.Id, v.TrainedOnReleaseId);
            Assert.NotNull(harness.Store.StatAsync($"{v.WeightsKey}/weights.bin").GetAwaiter().GetResult());
        });
        var hola = DaringReport.From(versions[0].Metrics)!;
        var plain = DaringReport.From(versions[1].Metrics)!;
        Assert.Equal((1.0, 0.0), (hola.Lambda, plain.Lambda));
        Assert.Equal(versions[1].Number, hola.ComparedWith!.VersionNumber);
        Assert.Equal(versions[0].Number, plain.ComparedWith!.VersionNumber);
        Assert.True(hola.FinalHolaLoss > 0);
        Assert.Equal(0, plain.FinalHolaLoss);
        var hair = Assert.Single(hola.Groups, g => g.Key == "hair");
        Assert.InRange(hair.AttentionInMask!.Value, 0, 1);
        // The captioner reads the generated images: its answers mean little untrained, but every requested value is counted.
        Assert.Equal(captioner, hola.CaptionerVersion);
        Assert.True(hair.Requested > 0);
        Assert.InRange(hair.Alignment!.Value, 0, 1);
        Assert.NotNull(hola.MeanAlignment);
        Assert.True(hola.TrainImages > 0 && hola.HeldOutImages > 0);

        var curves = await db.JobMetrics.Where(m => m.JobRunId == run.Id).Select(m => m.Name).Distinct().ToListAsync();
        Assert.Contains("denoising loss (λ = 1)", curves);
        Assert.Contains("hola loss (λ = 1)", curves);
        Assert.Contains("denoising loss (λ = 0)", curves);
        Assert.Null(await harness.Store.StatAsync($"checkpoints/daring/run-{run.Id}-lambda-1.0.ckpt"));
    }

    /// <summary>Registers a randomly initialised captioner as the active version (the evaluation needs one to read generated images).</summary>
    private async Task<int> ActivateUntrainedCaptionerAsync()
    {
        var taxonomy = await harness.Database.Taxonomy().GetActiveAsync();
        using var model = new CaptionerModel(new CaptionerSpec(64, CaptionerSpec.SmallWidths, CaptionerHeads.For(new TaxonomyIndex(taxonomy))), TorchSharp.torch.CPU);
        await using var db = await harness.Database.Contexts.CreateDbContextAsync();
        var version = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Number = 1, Status = ModelStatus.Active, TaxonomyVersionId = taxonomy.Id };
        db.ModelVersions.Add(version);
        await db.SaveChangesAsync();
        await new CaptionerStore(harness.Store, harness.Database.Contexts, _worker).SaveAsync(version.Id, model, CancellationToken.None);
        version.WeightsKey = CaptionerStore.Prefix(version.Id);
        await db.SaveChangesAsync();
        return version.Number;
    }

    [Fact]
    public async Task Generation_stores_each_image_with_an_overlay_per_group_and_the_same_seed_gives_the_same_image()
    {
        var release = await PublishedAsync("1.1");
        var training = await QueueAsync(JobKind.TrainDaring, new TrainDaringParameters(ReleaseId: release.Id, Steps: 2, BatchSize: 4, Resolution: 32));
        await TrainAsync(training);
        int versionId;
        await using (var db = await harness.Database.Contexts.CreateDbContextAsync())
            versionId = await db.ModelVersions.Where(m => m.JobRunId == training.Id).Select(m => m.Id).SingleAsync();
        PromptGroup[] prompt = [new("shot", "a full-body shot"), new("hair", "long red hair"), new("headwear", "tiara")];

        var first = await GenerateAsync(new GenerateImagesParameters(versionId, prompt, Seed: 7, Steps: 3, Count: 2));
        var again = await GenerateAsync(new GenerateImagesParameters(versionId, prompt, Seed: 8, Steps: 3, Count: 1));

        Assert.Equal("a full-body shot, long red hair, tiara", first.Caption);
        Assert.Equal(["tiara"], first.UnknownWords);
        Assert.Empty(first.CutGroups);
        Assert.Equal([7, 8], first.Images.Select(i => i.Seed));
        Assert.Equal(["hair", "headwear", "shot"], first.Images[0].AttentionKeys.Keys.Order());
        var image = await harness.Store.ReadAllBytesAsync(first.Images[0].ImageKey, CancellationToken.None);
        using (var decoded = SKBitmap.Decode(image)) Assert.Equal(32, decoded.Width);
        using (var overlay = SKBitmap.Decode(await harness.Store.ReadAllBytesAsync(first.Images[0].AttentionKeys["hair"], CancellationToken.None))) Assert.Equal(first.AttentionResolution, overlay.Width);
        Assert.Equal(await harness.Store.ReadAllBytesAsync(first.Images[1].ImageKey, CancellationToken.None), await harness.Store.ReadAllBytesAsync(again.Images[0].ImageKey, CancellationToken.None));
    }

    private async Task<GeneratedImages> GenerateAsync(GenerateImagesParameters parameters)
    {
        var run = await QueueAsync(JobKind.GenerateImages, parameters);
        var job = new GenerateImagesJob(Models(), harness.Store, harness.Database.Contexts);
        return (GeneratedImages)(await job.RunAsync(new JobContext(run, harness.Database.Contexts, TimeProvider.System), CancellationToken.None))!;
    }

    [Fact]
    public async Task A_worker_killed_after_a_checkpoint_is_succeeded_by_one_that_resumes_from_it()
    {
        var release = await PublishedAsync("1.2");
        var run = await QueueAsync(JobKind.TrainDaring, new TrainDaringParameters(ReleaseId: release.Id, Steps: 6, BatchSize: 4, Resolution: 32, CheckpointEvery: 2));
        using var killed = new CancellationTokenSource();
        var dying = new InterceptingStore(harness.Store, afterPut: key => { if (key.Contains("checkpoints/daring/", StringComparison.Ordinal)) killed.Cancel(); });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TrainAsync(run, killed.Token, dying));
        await TrainAsync(run);

        await using var db = await harness.Database.Contexts.CreateDbContextAsync();
        var logs = await db.JobLogs.Where(l => l.JobRunId == run.Id).Select(l => l.Message).ToListAsync();
        Assert.Contains("Resuming from the last checkpoint.", logs);
        var version = await db.ModelVersions.SingleAsync(m => m.JobRunId == run.Id);
        Assert.Equal(6, DaringReport.From(version.Metrics)!.Steps);
        var steps = await db.JobMetrics.Where(m => m.JobRunId == run.Id && m.Name == "denoising loss").Select(m => m.Step).OrderBy(s => s).ToListAsync();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
    }

    [Fact]
    public async Task Training_on_a_release_that_is_not_published_fails_with_a_clear_error()
    {
        var release = await harness.DefineAsync("Daring-Test", "9.9");
        var run = await QueueAsync(JobKind.TrainDaring, new TrainDaringParameters(ReleaseId: release.Id, Steps: 2));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TrainAsync(run));

        Assert.Equal("Daring-Test 9.9 is not published; Daring trains only on published releases.", error.Message);
    }

    [Fact]
    public async Task Parameters_that_cannot_run_are_refused_with_every_reason()
    {
        var run = await QueueAsync(JobKind.TrainDaring, new TrainDaringParameters(Steps: 0, Resolution: 48, Lambda: -1));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => TrainAsync(run));

        Assert.Contains("Choose either a published release or a round", error.Message);
        Assert.Contains("Steps must be between", error.Message);
        Assert.Contains("Resolution must be one of 32, 64, 128, 256", error.Message);
        Assert.Contains("λ (HOLA weight)", error.Message);
    }

    [Fact]
    public async Task Generating_with_a_model_that_is_not_a_daring_model_fails_with_a_clear_error()
    {
        var run = await QueueAsync(JobKind.GenerateImages, new GenerateImagesParameters(987654, [new PromptGroup("hair", "red hair")]));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new GenerateImagesJob(Models(), harness.Store, harness.Database.Contexts)
            .RunAsync(new JobContext(run, harness.Database.Contexts, TimeProvider.System), CancellationToken.None));

        Assert.Equal("Model version 987654 is not a trained Daring model.", error.Message);
    }
}

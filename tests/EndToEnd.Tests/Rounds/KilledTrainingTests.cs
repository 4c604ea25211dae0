using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

[Collection(ModelTraining.Name)]
public sealed class KilledTrainingTests(Platform platform) : IClassFixture<Platform>
{
    /// <summary>A captioner big enough, and trained long enough, that the Worker can be killed in the middle.</summary>
    internal static readonly Dictionary<string, string> SlowerCaptioner = new()
    {
        ["Captioner__ImageSize"] = "64",
        ["Captioner__Widths__2"] = "32",
        ["Captioner__CheckpointEvery"] = "5",
    };

    [Fact]
    public async Task A_training_job_whose_worker_is_killed_resumes_from_its_last_checkpoint_on_another_worker()
    {
        var first = await platform.StartWorkerAsync(SlowerCaptioner);
        await platform.IngestSyntheticAsync(50, seed: 21);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));

        var id = await CaptionerTraining.StartAsync(platform, epochs: 150);
        // Progress is recorded every ten steps and a checkpoint written every five, so by 5% there are several.
        await KilledWorker.KillAndFinishAsync(platform, first, id, killAt: 0.05f, SlowerCaptioner);

        // The second attempt's first loss is a step past the checkpoint, not step 10 again.
        Assert.True(await platform.Database.ScalarAsync($"""
            SELECT min(step) FROM job_metrics WHERE job_run_id = {id} AND name = 'loss'
              AND recorded_at > (SELECT min(at) FROM job_logs WHERE job_run_id = {id} AND message LIKE 'Resuming%')
            """) > 10);
        var versions = await platform.Api.GetFromJsonAsync<List<ModelSummary>>("/api/captioner/versions");
        Assert.Equal("Active", versions!.Single().Status);
    }
}

/// <summary>On a platform where nobody has reviewed anything yet.</summary>
public sealed class TrainingRefusalTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Training_with_too_few_verified_images_is_refused_saying_so()
    {
        var tooFew = await platform.Api.PostAsJsonAsync("/api/captioner/train", new { epochs = 1 });

        Assert.Equal(HttpStatusCode.Conflict, tooFew.StatusCode);
        Assert.Contains("Only 0 verified image(s): a captioner trains on at least 10", await tooFew.Content.ReadAsStringAsync());
        Assert.Empty((await platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner"))!);
        var badEpochs = await platform.Api.PostAsJsonAsync("/api/captioner/train", new { epochs = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, badEpochs.StatusCode);
        var preAnnotate = await platform.Api.PostAsync("/api/captioner/pre-annotate", null);
        Assert.Equal(HttpStatusCode.Conflict, preAnnotate.StatusCode);
        Assert.Contains("No captioner is active yet", await preAnnotate.Content.ReadAsStringAsync());
    }
}

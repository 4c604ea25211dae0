using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.EndToEnd.Tests.Rounds;

namespace AnnotateAnyone.EndToEnd.Tests.Daring;

public sealed class KilledDaringTrainingTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_daring_run_whose_worker_is_killed_resumes_from_its_last_checkpoint_on_another_worker()
    {
        var first = await platform.StartWorkerAsync(DaringJourneyTests.SmallDaring);
        await platform.IngestSyntheticAsync(20, seed: 73);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        var round = await DaringJourneyTests.PutVerifiedImagesInARoundAsync(platform, "Killed round");

        var response = await platform.Api.PostAsJsonAsync("/api/daring/runs", new { roundId = round, steps = 80, batchSize = 4, resolution = 32, checkpointEvery = 3 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JobStarted>())!.JobRunId;
        var running = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Progress >= 0.1f || job.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(120), "training to pass its first checkpoints");
        Assert.True(running.Status == "Running", running.Error);
        first.Kill();
        await platform.StartWorkerAsync(DaringJourneyTests.SmallDaring);

        var finished = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(300), "the second worker to finish the training");

        Assert.True(finished.Status == "Succeeded", finished.Error);
        Assert.Equal(2, finished.Attempts);
        Assert.NotEqual(running.WorkerId, finished.WorkerId);
        await using var resumed = platform.Database.DataSource.CreateCommand($"SELECT count(*) FROM job_logs WHERE job_run_id = {id} AND message LIKE 'Resuming from the last checkpoint%'");
        Assert.Equal(1L, await resumed.ExecuteScalarAsync());
        var versions = await platform.Api.GetFromJsonAsync<List<DaringVersion>>("/api/daring/versions");
        Assert.Equal(80, Assert.Single(versions!).Report.Steps);
    }

    private sealed record JobStarted(long JobRunId);

    private sealed record DaringVersion(int Number, DaringReportSummary Report);

    private sealed record DaringReportSummary(int Steps);
}

using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.EndToEnd.Tests.Rounds;

namespace AnnotateAnyone.EndToEnd.Tests.Daring;

[Collection(ModelTraining.Name)]
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
        await KilledWorker.KillAndFinishAsync(platform, first, id, killAt: 0.1f, DaringJourneyTests.SmallDaring);

        var versions = await platform.Api.GetFromJsonAsync<List<DaringVersion>>("/api/daring/versions");
        Assert.Equal(80, Assert.Single(versions!).Report.Steps);
    }

    private sealed record JobStarted(long JobRunId);

    private sealed record DaringVersion(int Number, DaringReportSummary Report);

    private sealed record DaringReportSummary(int Steps);
}

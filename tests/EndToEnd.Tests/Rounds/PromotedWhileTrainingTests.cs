using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>On a platform where ops promote another captioner while a training run is under way.</summary>
[Collection(ModelTraining.Name)]
public sealed class PromotedWhileTrainingTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_run_that_beat_the_version_it_started_from_does_not_replace_one_ops_promoted_while_it_trained()
    {
        await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(40, seed: 51);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        Assert.Equal("Succeeded", (await CaptionerTraining.TrainAsync(platform, epochs: 1)).Status);
        Assert.Equal("Succeeded", (await CaptionerTraining.TrainAsync(platform, epochs: 1, autoPromote: false)).Status);

        // The third run starts from v1, then v2 is promoted under it once its first losses are recorded.
        var id = await CaptionerTraining.StartAsync(platform, epochs: 40);
        var training = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Progress > 0 || job.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(120), "the third run to train");
        Assert.True(training.Status == "Running", $"{training.Status}: {training.Error}");
        (await platform.Api.PostAsync("/api/captioner/versions/2/promote", null)).EnsureSuccessStatusCode();
        var third = await CaptionerTraining.EndedAsync(platform, id);

        Assert.True(third.Status == "Succeeded", third.Error);
        var versions = (await platform.Api.GetFromJsonAsync<JsonArray>("/api/captioner/versions"))!.ToDictionary(v => (int)v!["number"]!);
        Assert.Equal(("Active", "Candidate"), ((string)versions[2]!["status"]!, (string)versions[3]!["status"]!));
        Assert.Equal(1, (int)versions[3]!["metrics"]!["comparedWithVersion"]!);
        Assert.True(await platform.Database.ScalarAsync(
            $"SELECT count(*) FROM job_logs WHERE job_run_id = {id} AND message LIKE '%another version was promoted while it trained (it was compared with v1)%'") > 0);
    }
}

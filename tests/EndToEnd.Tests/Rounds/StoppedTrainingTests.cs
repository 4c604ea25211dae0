using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

[Collection(ModelTraining.Name)]
public sealed class StoppedTrainingTests(Platform platform) : IClassFixture<Platform>
{
    /// <summary>
    /// A Worker stopped in order (a deploy, a restart) hands its round's retraining back to the queue: the round is still
    /// training, not failed and offered for a retry that would queue a second training of the same round.
    /// </summary>
    [Fact]
    public async Task A_rounds_retraining_whose_worker_is_stopped_keeps_the_round_training_until_the_next_worker_finishes_it()
    {
        var settings = new Dictionary<string, string>(KilledTrainingTests.SlowerCaptioner) { ["Captioner__Epochs"] = "60" };
        var first = await platform.StartWorkerAsync(settings);
        await platform.IngestSyntheticAsync(50, seed: 23);
        var round = await RoundProgress.StartAsync(platform, 50);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Api.PostAsync($"/api/rounds/{round.Id}/finish", null)).StatusCode);
        var training = (await platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner"))!.Single();
        var running = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{training.Id}"),
            job => job!.Progress > 0 || job.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(120), "the retraining to make progress");
        Assert.True(running!.Status == "Running", running.Error);

        first.Terminate();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var stopped = await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{round.Id}");
        var finishedAgain = await platform.Api.PostAsync($"/api/rounds/{round.Id}/finish", null);
        await platform.StartWorkerAsync(settings);
        var completed = await RoundProgress.WaitForAsync(platform, round.Id, "Completed");

        Assert.Equal(("Training", null), (stopped!.Status, stopped.Failure));
        Assert.Equal(HttpStatusCode.Conflict, finishedAgain.StatusCode);
        Assert.True(completed.Status == "Completed", completed.Failure);
        var trainings = (await platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner"))!;
        Assert.Equal((training.Id, "Succeeded", 2), (trainings.Single().Id, trainings.Single().Status, trainings.Single().Attempts));
    }
}

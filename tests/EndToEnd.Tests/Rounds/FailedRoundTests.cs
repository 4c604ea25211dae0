using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>On a platform where nobody has reviewed anything yet.</summary>
public sealed class FailedRoundTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_round_is_not_finished_before_enough_images_are_verified_and_one_whose_retraining_was_cancelled_is_retried_from_the_page()
    {
        var worker = await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(12, seed: 61);
        var round = await RoundProgress.StartAsync(platform, 12);
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        await page.GotoAsync("/lead/rounds");
        var rounds = page.GetByRole(AriaRole.Table, new() { Name = "Rounds" });

        await rounds.GetByRole(AriaRole.Button, new() { Name = "Finish and retrain" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Only 0 verified image(s): a captioner trains on at least 10 and holds out at least 2; review more images before training."))
            .ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await platform.Api.PostAsync($"/api/rounds/{round.Id}/finish", null)).StatusCode);
        Assert.Equal("Reviewing", (await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{round.Id}"))!.Status);

        // Reviewed, and finished with no Worker left to take its retraining, which ops then cancel while it waits.
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        worker.Kill();
        await worker.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Api.PostAsync($"/api/rounds/{round.Id}/finish", null)).StatusCode);
        var training = (await platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner"))!.Single();
        Assert.True((await platform.Api.PostAsync($"/api/jobs/{training.Id}/cancel", null)).IsSuccessStatusCode);

        var failed = await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{round.Id}");
        Assert.Equal(("Failed", "Training", "its job was cancelled"), (failed!.Status, failed.FailedWhile, failed.Failure));
        await page.ReloadAsync();
        await Assertions.Expect(rounds.GetByTestId("round-failure")).ToHaveTextAsync("Failed while training: its job was cancelled");
        await rounds.GetByRole(AriaRole.Button, new() { Name = "Retry retraining" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Retraining the captioner on round {round.Number} again.")).ToBeVisibleAsync();
        Assert.Equal("Training", (await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{round.Id}"))!.Status);
        Assert.Equal(2, (await platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner"))!.Count);
    }
}

using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>On a platform where nobody has reviewed anything yet.</summary>
[Collection(ModelTraining.Name)]
public sealed class FailedRoundTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    private const string TooFew = "Only 0 verified image(s): review more images before training.";

    [Fact]
    public async Task A_round_finished_before_any_review_fails_saying_why_and_the_lead_retries_its_retraining_from_the_page()
    {
        await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(5, seed: 61);
        var round = await RoundProgress.StartAsync(platform, 5);
        Assert.Equal(HttpStatusCode.Accepted, (await platform.Api.PostAsync($"/api/rounds/{round.Id}/finish", null)).StatusCode);

        var failed = await RoundProgress.WaitForAsync(platform, round.Id, "Failed");
        Assert.Equal(("Training", TooFew), (failed.FailedWhile, failed.Failure));

        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        await page.GotoAsync("/lead/rounds");
        var rounds = page.GetByRole(AriaRole.Table, new() { Name = "Rounds" });
        await Assertions.Expect(rounds.GetByTestId("round-failure")).ToHaveTextAsync($"Failed while training: {TooFew}");
        await rounds.GetByRole(AriaRole.Button, new() { Name = "Retry retraining" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Retraining the captioner on round {round.Number} again.")).ToBeVisibleAsync();

        // The retry runs a second training, which fails for the same reason until images are reviewed.
        await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<List<JobSummary>>("/api/jobs?kind=TrainCaptioner&status=Failed"),
            jobs => jobs!.Count == 2, TimeSpan.FromSeconds(60), "the retried training to fail too");
        Assert.Equal(TooFew, (await RoundProgress.WaitForAsync(platform, round.Id, "Failed")).Failure);
    }
}

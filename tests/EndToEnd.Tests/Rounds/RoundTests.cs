using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

public sealed record RoundMetricsSummary(int Images, int Labels, int HumanLabels, int AiAcceptedLabels, double HumanShare, int HumanCorrections, int OpenReviews = 0);

public sealed record RoundSummary(int Id, int Number, string Status, int? ModelVersion, int Images, int OpenTasks, RoundMetricsSummary? Metrics,
    int? TrainedVersion, bool? TrainedVersionPromoted, int Routings, int RoutedAtReviews, string? FailedWhile = null, string? Failure = null);

public sealed record ModelSummary(int Number, string Status, int? TrainedOnRound);

public sealed record PolicySummary(int ModelVersion, List<AttributePolicySummary> Attributes);

public sealed record AttributePolicySummary(string Attribute, double Target, int HeldOut, int Measured, float? Threshold);

[Collection(ModelTraining.Name)]
public sealed class RoundTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_data_lead_takes_two_rounds_from_proposals_through_review_to_a_retrained_captioner()
    {
        await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(60, seed: 11);
        var lead = await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail);

        // Round 1: no captioner yet, so annotators get every image whole.
        var first = await RoundProgress.StartAsync(platform, 60);
        Assert.Equal((1, 60, 60, null), (first.Number, first.Images, first.OpenTasks, first.ModelVersion));
        var refused = await platform.Api.PostAsJsonAsync("/api/rounds", new { size = 10 });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("No ingested image is waiting", await refused.Content.ReadAsStringAsync());

        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, lead);
        var finishing = await platform.Api.PostAsync($"/api/rounds/{first.Id}/finish", null);
        Assert.Equal(HttpStatusCode.Accepted, finishing.StatusCode);
        var measured = (await finishing.Content.ReadFromJsonAsync<RoundSummary>())!.Metrics!;
        Assert.Equal((60, 1.0, 0), (measured.Images, measured.HumanShare, measured.AiAcceptedLabels));
        Assert.True(measured.HumanLabels > 60 * 10, $"{measured.HumanLabels} human labels");

        var trained = await RoundProgress.WaitForAsync(platform, first.Id, "Completed");
        Assert.Equal((1, true), (trained.TrainedVersion, trained.TrainedVersionPromoted));
        var versions = await platform.Api.GetFromJsonAsync<List<ModelSummary>>("/api/captioner/versions");
        Assert.Equal(new ModelSummary(1, "Active", 1), versions!.Single());

        // Round 2: the new captioner proposes for every image before routing.
        await platform.IngestSyntheticAsync(30, seed: 12);
        var second = await RoundProgress.StartAsync(platform, 30);
        Assert.Equal((2, 30, 1), (second.Number, second.Images, second.ModelVersion));
        Assert.Equal(30, await platform.Database.ScalarAsync("""
            SELECT count(DISTINCT p.image_id) FROM label_proposals p JOIN images i ON i.id = p.image_id
            WHERE i.round_id = @round AND p.model_version_id = (SELECT id FROM model_versions WHERE kind = 1 AND number = 1)
            """, ("round", second.Id)));
        Assert.Equal(30, await platform.Database.ScalarAsync("SELECT count(*) FROM images WHERE round_id = @round AND usable_score IS NOT NULL", ("round", second.Id)));
        var policy = await platform.Api.GetFromJsonAsync<PolicySummary>("/api/routing/policy");
        Assert.Equal(1, policy!.ModelVersion);
        Assert.Contains(policy.Attributes, a => a.Attribute == "shot.shot_type" && a.Target == 0.97 && a.HeldOut > 0);

        // Once a tenth of the round has been reviewed, a Worker routes it again with what those reviews measured. These
        // three are reviewed through the HTTP review API, as an annotation tool would.
        await HttpAnnotator.ReviewAsync(platform.Api, platform.Database, items: 3);
        // (The round is marked before it is routed: wait for the routing itself.)
        await Eventually.WaitForAsync(() => platform.Database.ScalarAsync("SELECT routings FROM annotation_rounds WHERE id = @round", ("round", second.Id)),
            routings => routings == 2, TimeSpan.FromSeconds(30), "round 2 to be routed again");
        policy = await platform.Api.GetFromJsonAsync<PolicySummary>("/api/routing/policy");
        Assert.Contains(policy!.Attributes, a => a.Measured > 0);
        var routedAgain = (await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{second.Id}"))!;
        Assert.Equal((2, 3), (routedAgain.Routings, routedAgain.RoutedAtReviews));

        // The same, as a data lead sees it.
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        await page.GotoAsync("/lead/rounds");
        var rounds = page.GetByRole(AriaRole.Table, new() { Name = "Rounds" });
        await Assertions.Expect(rounds.GetByRole(AriaRole.Row).Filter(new() { HasText = "Completed" })).ToContainTextAsync("v1 (promoted)");
        await Assertions.Expect(rounds.GetByRole(AriaRole.Row).Filter(new() { HasText = "Reviewing" })).ToContainTextAsync("v1");
        await Assertions.Expect(rounds.GetByRole(AriaRole.Row).Filter(new() { HasText = "Reviewing" })).ToContainTextAsync("2 times, last");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Routing policy" })).ToContainTextAsync("shot.shot_type");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        // Reviewing one of the round's images, Shift+R shows where the focused attribute's group is in the picture
        // (its parsing map, which synthetic people come with), and the region follows the focus.
        await page.GotoAsync("/review");
        await Assertions.Expect(page.Locator(".workspace[data-keyboard=ready]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".attribute.focused .attribute-name")).ToHaveTextAsync("Shot type");
        // The original sharpens the thumbnail once it has loaded; Shift+F turns it off and on again.
        var original = page.GetByTestId("original");
        await Assertions.Expect(original).ToHaveClassAsync(new Regex(@"\bloaded\b"));
        await page.Keyboard.PressAsync("Shift+F");
        await Assertions.Expect(original).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Shift+F");
        await Assertions.Expect(original).ToHaveAttributeAsync("src", new Regex(@"/api/images/\d+/original$"));
        await page.Keyboard.PressAsync("Shift+R");
        var veil = page.GetByTestId("region");
        await Assertions.Expect(page.GetByTestId("region-state")).ToHaveTextAsync("Region: Shot");
        await Assertions.Expect(veil).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex(@"/region\?classes=1,2,3,"));
        await Eventually.WaitForAsync(() => veil.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0"), width => width > 0,
            TimeSpan.FromSeconds(20), "the region veil to load");
        foreach (var _ in Enumerable.Range(0, 4)) await page.Keyboard.PressAsync("ArrowDown"); // past the person and the build
        await Assertions.Expect(page.GetByTestId("region-state")).ToHaveTextAsync("Region: Background");
        await Assertions.Expect(veil).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex(@"/region\?classes=0$"));
        await page.Keyboard.PressAsync("Shift+R");
        await Assertions.Expect(veil).ToHaveCountAsync(0);

        // Finished with reviews still open, round 2 says its figures are so far; once the last is done it is measured again.
        var early = (await (await platform.Api.PostAsync($"/api/rounds/{second.Id}/finish", null)).Content.ReadFromJsonAsync<RoundSummary>())!.Metrics!;
        Assert.True(early.OpenReviews > 0, "no review was open when round 2 was finished");
        await page.GotoAsync("/lead/rounds");
        // Only round 2: round 1 was finished with its review done.
        await Assertions.Expect(rounds.GetByTestId("measured-early")).ToHaveTextAsync("(so far)");
        await Assertions.Expect(rounds.Locator("td").Filter(new() { Has = page.GetByTestId("measured-early") })).ToHaveTextAsync(new Regex(@"^\d+\.\d% \(so far\)$"));
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, lead);
        var settled = await Eventually.WaitForAsync(async () => (await platform.Api.GetFromJsonAsync<RoundSummary>($"/api/rounds/{second.Id}"))!.Metrics!,
            metrics => metrics?.OpenReviews == 0, TimeSpan.FromSeconds(30), "round 2 to be measured again");
        Assert.True(settled.HumanLabels > early.HumanLabels, $"{settled.HumanLabels} human labels after the last review, {early.HumanLabels} before");
    }

    [Fact]
    public async Task Bad_round_requests_are_refused_with_the_reason()
    {
        var tooSmall = await platform.Api.PostAsJsonAsync("/api/rounds", new { size = 0 });
        var unknown = await platform.Api.PostAsync("/api/rounds/9999/finish", null);
        var badTarget = await platform.Api.PutAsJsonAsync("/api/routing/targets/shot.shot_type", new { target = 1.5 });
        var badAttribute = await platform.Api.PutAsJsonAsync("/api/routing/targets/shot.nope", new { target = 0.9 });
        var notJson = await platform.Api.PostAsync("/api/rounds", new StringContent("{ size: 10", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, tooSmall.StatusCode);
        Assert.Contains("between 1 and 1,000,000", await tooSmall.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badTarget.StatusCode);
        Assert.Contains("between 0.5 and 1", await badTarget.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, badAttribute.StatusCode);
        Assert.Contains("Unknown attribute", await badAttribute.Content.ReadAsStringAsync());
        // The production host says why the framework could not read a request, as a development one does.
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Matches(@"The body is not valid JSON \(line 1, near position \d+\): a field's name must be in double quotes\.", await notJson.Content.ReadAsStringAsync());
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using AnnotateAnyone.EndToEnd.Tests.Rounds;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Operations;

[Collection(ModelTraining.Name)]
public sealed class OpsDashboardTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    private const string Ops = "ops-user@example.org";
    private const string Annotator = "ops-refused-annotator@example.org";

    [Fact]
    public async Task An_ops_user_trains_cancels_promotes_and_rolls_back_the_captioner_and_sees_a_dead_worker()
    {
        var worker = await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(40, seed: 31);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        await platform.CreateUserAsync(Ops, "Ops");
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Ops, Platform.AdminPassword);

        await page.GotoAsync("/ops");
        var workers = page.GetByRole(AriaRole.Table, new() { Name = "Workers" });
        await Assertions.Expect(workers.GetByTestId("worker-state")).ToHaveTextAsync("alive");
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "Pipeline" }).Or(page.GetByLabel("Pipeline"))).ToContainTextAsync("Labels: human");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        // Train by hand, leaving the promotion to ops.
        await StartTrainingAsync(page, epochs: 4);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "loss" })).ToBeVisibleAsync();
        Assert.True(int.Parse((await page.GetByTestId("curve").First.GetAttributeAsync("data-points"))!) > 1);
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Log" })).ToContainTextAsync("registered as a candidate");

        await page.GotoAsync("/ops/models");
        var versions = page.GetByRole(AriaRole.Table, new() { Name = "Captioner versions" });
        await Assertions.Expect(versions.GetByTestId("model-status")).ToHaveTextAsync("Candidate");
        // Forty verified images: a thousand to hold out is capped at a quarter.
        await Assertions.Expect(versions).ToContainTextAsync("more held out (25.0% of all), compact encoder");
        await page.GetByRole(AriaRole.Button, new() { Name = "Promote v1" }).ClickAsync();
        await Assertions.Expect(versions.GetByTestId("model-status")).ToHaveTextAsync("Active");

        // A long training is cancelled from its page and stops at the next step.
        await StartTrainingAsync(page, epochs: 400);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Running", new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new("^Cancel job") }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Cancelled", new() { Timeout = 60_000 });

        // A second version, promoted, then rolled back to the first.
        await StartTrainingAsync(page, epochs: 2);
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        // It was compared with the active v1 on its held-out images (same heads: v1 read v2's held-out cache).
        var listed = await platform.Api.GetFromJsonAsync<JsonArray>("/api/captioner/versions");
        Assert.Equal(1, (int)listed!.Single(v => (int)v!["number"]! == 2)!["metrics"]!["comparedWithVersion"]!);
        await page.GotoAsync("/ops/models");
        await page.GetByRole(AriaRole.Button, new() { Name = "Promote v2" }).ClickAsync();
        await Assertions.Expect(VersionStatus(versions, 2)).ToHaveTextAsync("Active");
        await page.GetByRole(AriaRole.Button, new() { Name = "Roll back to v1" }).ClickAsync();
        await Assertions.Expect(VersionStatus(versions, 1)).ToHaveTextAsync("Active");
        await Assertions.Expect(VersionStatus(versions, 2)).Not.ToHaveTextAsync("Active");

        worker.Kill();
        await page.GotoAsync("/ops");
        await Assertions.Expect(workers.GetByTestId("worker-state")).ToHaveTextAsync("dead", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("alert").First).ToContainTextAsync("is dead");
    }

    private static async Task StartTrainingAsync(IPage page, int epochs)
    {
        await page.GotoAsync("/ops");
        var training = page.GetByRole(AriaRole.Form, new() { Name = "Train the captioner" });
        await training.GetByLabel("Epochs").FillAsync(epochs.ToString());
        await training.GetByLabel("Promote if it beats the active version").UncheckAsync();
        await training.GetByRole(AriaRole.Button, new() { Name = "Train" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ops/jobs/"));
    }

    private static ILocator VersionStatus(ILocator versions, int number) =>
        versions.Locator($"tr[data-version='{number}']").GetByTestId("model-status");

    [Fact]
    public async Task An_annotator_is_refused_every_ops_page()
    {
        await platform.CreateUserAsync(Annotator, "Annotator");
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Annotator, Platform.AdminPassword);

        foreach (var path in new[] { "/ops", "/ops/models", "/ops/jobs/1", "/hangfire" })
        {
            var response = await page.GotoAsync(path);
            Assert.True(response!.Status == 403, $"{path}: {response.Status}");
        }
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByText("Operations")).ToHaveCountAsync(0);
    }
}

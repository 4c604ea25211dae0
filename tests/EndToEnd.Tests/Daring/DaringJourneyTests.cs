using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using AnnotateAnyone.EndToEnd.Tests.Rounds;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Daring;

[Collection(ModelTraining.Name)]
public sealed class DaringJourneyTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    private const string Ops = "daring-ops@example.org";

    /// <summary>A Daring model small enough to train in seconds on two cores; the defaults take minutes.</summary>
    public static readonly IReadOnlyDictionary<string, string> SmallDaring = new Dictionary<string, string>
    {
        ["Daring:BlockChannels:0"] = "16",
        ["Daring:BlockChannels:1"] = "32",
        ["Daring:TextWidth"] = "32",
        ["Daring:TextLayers"] = "1",
        ["Daring:EvaluationImages"] = "4",
        ["Daring:EvaluationSteps"] = "3",
    };

    [Fact]
    public async Task Ops_train_a_daring_ablation_from_the_dashboard_watch_its_losses_read_its_report_and_generate_with_attention_overlays()
    {
        await platform.StartWorkerAsync(SmallDaring);
        await platform.IngestSyntheticAsync(24, seed: 57);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        await PutVerifiedImagesInARoundAsync(platform, "Daring round");
        await platform.CreateUserAsync(Ops, "Ops");
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Ops, Platform.AdminPassword);

        await page.GotoAsync("/ops");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Train Daring" });
        await form.GetByLabel("Train on").SelectOptionAsync(new SelectOptionValue { Label = "Daring round (verified images)" });
        await form.GetByLabel("Steps").FillAsync("8");
        await form.GetByLabel("Batch").FillAsync("4");
        await form.GetByLabel("Resolution").SelectOptionAsync("32");
        await form.GetByLabel("Also train λ = 0 and compare").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Train Daring" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/ops/jobs/"));
        await Assertions.Expect(page.GetByTestId("job-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 240_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "hola loss (λ = 1)" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Region, new() { Name = "denoising loss (λ = 0)" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Log" })).ToContainTextAsync("HOLA ablation");

        await page.GotoAsync("/daring");
        var versions = page.GetByRole(AriaRole.Table, new() { Name = "Daring versions" });
        await Assertions.Expect(versions.Locator("tbody tr")).ToHaveCountAsync(2);
        var report = page.GetByRole(AriaRole.Table, new() { Name = "v1 per group" });
        await Assertions.Expect(report.GetByRole(AriaRole.Columnheader, new() { Name = "Attention in mask (λ = 0)" })).ToBeVisibleAsync();
        await Assertions.Expect(report.Locator("tr[data-group='hair'] td").Nth(5)).ToContainTextAsync("%");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        await page.GotoAsync("/daring/generate");
        await page.GetByLabel("Model").SelectOptionAsync(new SelectOptionValue { Label = "v1 (λ = 1, 8 steps)" });
        await page.GetByLabel("Hair in your words").FillAsync("long red hair");
        await Assertions.Expect(page.GetByTestId("prompt")).ToContainTextAsync("long red hair");
        await page.GetByLabel("Images", new() { Exact = true }).FillAsync("2");
        await page.GetByLabel("Steps").FillAsync("3");
        await page.GetByLabel("Steps").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("generation-status")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
        var images = page.GetByRole(AriaRole.Img, new() { NameRegex = new("^Generated image, seed") });
        await Assertions.Expect(images).ToHaveCountAsync(2);
        var hairOverlay = page.GetByRole(AriaRole.Img, new() { Name = "Attention of Hair, seed 1" });
        await Assertions.Expect(hairOverlay).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await hairOverlay.ElementHandleAsync());
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));
    }

    /// <summary>Puts every verified image in a new round, as a finished round leaves them; returns its id.</summary>
    public static async Task<int> PutVerifiedImagesInARoundAsync(Platform platform, string name)
    {
        await using var db = await platform.Database.Contexts.CreateDbContextAsync();
        var round = new AnnotationRound
        {
            Number = 1 + (await db.Rounds.MaxAsync(r => (int?)r.Number) ?? 0),
            Name = name,
            Status = RoundStatus.Completed,
            TaxonomyVersionId = (await db.TaxonomyVersions.SingleAsync(t => t.IsActive)).Id,
        };
        db.Rounds.Add(round);
        await db.SaveChangesAsync();
        await db.Images.Where(i => i.Status == Data.Images.ImageStatus.Verified && i.RoundId == null).ExecuteUpdateAsync(s => s.SetProperty(i => i.RoundId, round.Id));
        return round.Id;
    }
}

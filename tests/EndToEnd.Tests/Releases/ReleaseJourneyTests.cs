using System.Text.RegularExpressions;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using AnnotateAnyone.EndToEnd.Tests.Rounds;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Releases;

public sealed class ReleaseJourneyTests(BrowserFixture platform) : IClassFixture<BrowserFixture>
{
    private const string Lead = "release-lead@example.org";

    [Fact]
    public async Task A_data_lead_previews_builds_verifies_and_downloads_a_release_that_duckdb_reads()
    {
        var worker = await platform.StartWorkerAsync();
        await platform.IngestSyntheticAsync(24, seed: 41);
        await SimulatedAnnotator.ReviewEverythingAsync(platform.Database, await SimulatedAnnotator.UserIdAsync(platform.Database, Platform.AdminEmail));
        var reviewed = await platform.Database.ScalarAsync("SELECT count(*) FROM images WHERE status = 3 AND flags = 0");
        await platform.CreateUserAsync(Lead, "DataLead");
        var page = await platform.NewPageAsync();
        var browserConsole = BrowserFixture.RecordConsole(page);
        await BrowserFixture.SignInAsync(page, Lead, Platform.AdminPassword);

        await page.GotoAsync("/lead/releases");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Define a release" });
        await form.GetByLabel("Name", new() { Exact = true }).FillAsync("Journey-HQ");
        await form.GetByLabel("Version", new() { Exact = true }).FillAsync("1.0");
        await form.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("preview-counts")).ToContainTextAsync($"{reviewed} images");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Sample rows" }).GetByRole(AriaRole.Row)).ToHaveCountAsync(11);
        // Each sample shows its picture, which opens the image's history.
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Sample rows" }).GetByRole(AriaRole.Link).First)
            .ToHaveAttributeAsync("href", new Regex(@"^/images/\d+/history$"));
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        await form.GetByRole(AriaRole.Button, new() { Name = "Build release" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/releases/"));
        await ExpectPublishedAsync(page, worker, browserConsole);
        await Assertions.Expect(page.GetByTestId("release-images")).ToHaveTextAsync(reviewed.ToString());
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Labels by source" })).ToContainTextAsync("human");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));

        await page.GetByRole(AriaRole.Button, new() { Name = "Verify checksums" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("verification")).ToContainTextAsync("files match their checksums", new() { Timeout = 60_000 });

        // Download the training split as a browser does, and read it with DuckDB.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "parquet/train.parquet" }).ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), $"journey-{Guid.NewGuid():N}.parquet");
        await download.SaveAsAsync(file);
        var rows = await OutsideReaders.DuckDbAsync($"SELECT count(*) AS n, min(caption) AS caption FROM read_parquet('{file}')");
        Assert.True(long.Parse(rows[0].GetProperty("n").GetRawText().Trim('"')) > 0);
        Assert.False(string.IsNullOrEmpty(rows[0].GetProperty("caption").GetString()));
        File.Delete(file);
    }

    /// <summary>
    /// Waits for the page to show the release published; when it does not, says what the database, the Worker, the
    /// browser and the Web host saw. In two CI runs the page froze, once on "Building", once on "Loading release 1".
    /// </summary>
    private async Task ExpectPublishedAsync(IPage page, HostProcess worker, IReadOnlyList<string> browserConsole)
    {
        try
        {
            await Assertions.Expect(page.GetByTestId("release-status")).ToHaveTextAsync("Published", new() { Timeout = 120_000 });
        }
        catch (PlaywrightException e)
        {
            await using var state = platform.Database.DataSource.CreateCommand("""
                SELECT 'release ' || r.status || coalesce(' error ' || r.error, '') || ', job ' || j.status || ' ' || coalesce(j.progress_message, '')
                       || coalesce(' error ' || j.error, '') || ', log: ' || coalesce((SELECT string_agg(l.message, ' | ' ORDER BY l.id) FROM job_logs l WHERE l.job_run_id = j.id), '')
                FROM releases r LEFT JOIN job_runs j ON j.id = r.job_run_id ORDER BY r.id DESC LIMIT 1
                """);
            throw new InvalidOperationException($"{e.Message}\nDatabase: {await state.ExecuteScalarAsync()}\nWorker output (end): {worker.OutputEnd(3000)}"
                + $"\n{platform.WhatTheBrowserAndServerSaw(browserConsole)}", e);
        }
    }

    [Fact]
    public async Task A_bad_release_definition_is_refused_with_its_reason_and_nothing_is_built()
    {
        await platform.CreateUserAsync("release-lead-2@example.org", "DataLead");
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "release-lead-2@example.org", Platform.AdminPassword);

        await page.GotoAsync("/lead/releases");
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Define a release" });
        await form.GetByLabel("Attributes that must be labelled").FillAsync("hair.colour");
        await form.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Required attribute 'hair.colour' is not in taxonomy version");
    }
}

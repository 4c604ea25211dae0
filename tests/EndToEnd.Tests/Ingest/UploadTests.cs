using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.EndToEnd.Tests.Browser;
using Microsoft.Playwright;

namespace AnnotateAnyone.EndToEnd.Tests.Ingest;

public sealed class UploadTests(BrowserFixture platform) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        if (platform.Workers.Count == 0) await platform.StartWorkerAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_mixed_folder_uploaded_through_the_api_gets_the_right_report()
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes, _) in MixedFolder.Files(seed: 100))
            form.Add(new ByteArrayContent(bytes), "files", name);

        var response = await platform.Api.PostAsync("/api/ingest/uploads", form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await platform.WaitForIngestAsync((await response.Content.ReadFromJsonAsync<IngestRunSummary>())!.Id);
        Assert.Equal(("Succeeded", null, 10, 3, 7), (run.Status, run.Error, run.Total, run.Accepted, run.Rejected));
        var items = await platform.Api.GetFromJsonAsync<List<IngestItemSummary>>($"/api/ingest/runs/{run.Id}/items");
        foreach (var (name, _, reason) in MixedFolder.Files(seed: 100))
            Assert.Equal(reason, items!.Single(i => i.Name == name).Reason);

        var truncated = items!.Single(i => i.Name == "truncated.jpg");
        var download = await platform.Api.GetAsync($"/api/ingest/items/{truncated.Id}/file");
        Assert.Equal(MixedFolder.Files(seed: 100).Single(f => f.Name == "truncated.jpg").Bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_upload_that_is_not_multipart_is_refused_with_the_reason()
    {
        var response = await platform.Api.PostAsync("/api/ingest/uploads", new StringContent("hello"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("multipart/form-data", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_folder_run_is_started_through_the_api_and_a_bad_source_is_refused()
    {
        var good = await platform.Api.PostAsJsonAsync("/api/ingest/runs", new { kind = "folder", path = MixedFolder.Write(seed: 200) });
        var relative = await platform.Api.PostAsJsonAsync("/api/ingest/runs", new { kind = "folder", path = "relative/path" });
        var urls = await platform.Api.PostAsJsonAsync("/api/ingest/runs", new { urls = new[] { "ftp://example.org/a.jpg" }, kind = "urls" });

        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        var run = await platform.WaitForIngestAsync((await good.Content.ReadFromJsonAsync<IngestRunSummary>())!.Id);
        Assert.Equal((3, 7), (run.Accepted, run.Rejected));
        Assert.Equal(HttpStatusCode.BadRequest, relative.StatusCode);
        Assert.Contains("must be an absolute path", await relative.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, urls.StatusCode);
        Assert.Contains("is not an http or https URL", await urls.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_folder_missing_on_the_worker_fails_its_run_and_the_runs_list_says_why()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}");
        var response = await platform.Api.PostAsJsonAsync("/api/ingest/runs", new { kind = "folder", path = missing });
        var run = await platform.WaitForIngestAsync((await response.Content.ReadFromJsonAsync<IngestRunSummary>())!.Id);
        Assert.Equal("Failed", run.Status);

        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        await page.GotoAsync("/ingest");

        await Assertions.Expect(page.GetByTestId("ingest-failure")).ToContainTextAsync($"The folder '{missing}' does not exist on Worker machine");
    }

    [Fact]
    public async Task A_mixed_folder_uploaded_in_the_browser_shows_its_report_live()
    {
        var folder = MixedFolder.Write(seed: 300);
        var page = await platform.NewPageAsync();
        await BrowserFixture.SignInAsync(page, Platform.AdminEmail, Platform.AdminPassword);
        await page.GotoAsync("/ingest");

        await page.GetByLabel("Choose pictures (or a whole folder of them) to upload").SetInputFilesAsync(Directory.GetFiles(folder));

        var link = page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^#\d+$") }).First;
        await link.ClickAsync();
        await Assertions.Expect(page.GetByTestId("processed")).ToHaveTextAsync("10", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByTestId("accepted")).ToHaveTextAsync("3");
        await Assertions.Expect(page.GetByTestId("rejected")).ToHaveTextAsync("7");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Refusals by reason" })).ToContainTextAsync("Too many pixels");
        Assert.Empty(await BrowserFixture.SeriousAccessibilityViolationsAsync(page));
    }
}

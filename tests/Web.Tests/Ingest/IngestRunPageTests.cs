using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Web.Components.Ingest;
using AnnotateAnyone.Web.Ingest;
using AnnotateAnyone.Web.Tests.Components;
using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Ingest;

/// <summary>An ingest run's report on a real database (bUnit).</summary>
public sealed class IngestRunPageTests : PageOnDatabase
{
    [Fact]
    public async Task A_long_report_is_shown_a_page_at_a_time_until_its_last_file()
    {
        var runId = await RunWithFilesAsync(450);
        Services.AddSingleton(new IngestQueries(Database.Contexts));
        var page = RenderAt<IngestRunPage>($"/ingest/runs/{runId}", p => p.FindAll("h1").Count > 0, p => p.Add(x => x.Id, runId));
        int Rows() => page.FindAll("table[aria-label='Files of this run'] tbody tr").Count;
        Assert.Equal(200, Rows());

        await page.Find("button.mud-button-root:not(.filter)").ClickAsync(new());
        Assert.Equal(400, Rows());
        await page.Find("button.mud-button-root:not(.filter)").ClickAsync(new());

        Assert.Equal(450, Rows());
        Assert.Empty(page.FindAll("button.mud-button-root:not(.filter)"));
        Assert.Equal("450", page.FindAll("table[aria-label='Files of this run'] tbody tr")[^1].Children[0].TextContent);
    }

    private async Task<long> RunWithFilesAsync(int files)
    {
        await using var db = await Database.Contexts.CreateDbContextAsync();
        var run = new IngestRun { SourceKind = ImageSourceKind.Folder, Source = System.Text.Json.JsonDocument.Parse("{}"), Description = "folder /photos", Total = files, Processed = files, Rejected = files, FinishedAt = DateTimeOffset.UtcNow };
        db.IngestRuns.Add(run);
        await db.SaveChangesAsync();
        db.IngestItems.AddRange(Enumerable.Range(0, files).Select(i => new IngestItem
        {
            IngestRunId = run.Id, Ordinal = i, Name = $"photo-{i}.jpg", Outcome = IngestOutcome.Rejected, Reason = RejectReason.TooSmall, Detail = "too small",
        }));
        await db.SaveChangesAsync();
        return run.Id;
    }
}

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

    [Fact]
    public async Task A_reasons_count_lists_the_files_refused_for_it_in_words()
    {
        IngestReports.File[] files =
        [
            new(IngestOutcome.Rejected, RejectReason.TooManyPixels), new(IngestOutcome.Accepted), new(IngestOutcome.Rejected, RejectReason.Corrupt),
            new(IngestOutcome.Rejected, RejectReason.TooManyPixels), new(IngestOutcome.NearDuplicate),
        ];
        var runId = await IngestReports.AddRunAsync(Database.Contexts, files);
        Services.AddSingleton(new IngestQueries(Database.Contexts));
        var page = RenderAt<IngestRunPage>($"/ingest/runs/{runId}", p => p.FindAll("h1").Count > 0, p => p.Add(x => x.Id, runId));
        var reasons = page.FindAll("table[aria-label='Refusals by reason'] tbody tr");
        Assert.Equal(["Too many pixels 2", "Corrupt 1"], reasons.Select(r => string.Join(' ', r.Children.Select(c => c.TextContent.Trim()))));

        await reasons[0].QuerySelector("button")!.ClickAsync(new());

        var rows = page.FindAll("table[aria-label='Files of this run'] tbody tr");
        Assert.Equal(["photo-0.jpg", "photo-3.jpg"], rows.Select(r => r.Children[1].TextContent));
        Assert.All(rows, r => Assert.Equal("Refused", r.Children[2].TextContent));
        Assert.StartsWith("Too many pixels: ", rows[0].Children[3].TextContent.Trim());
        Assert.Contains("Refused as: Too many pixels", page.Find("button.filter.active").TextContent);
    }

    [Fact]
    public async Task A_filter_that_keeps_no_file_says_so_in_the_list()
    {
        var runId = await IngestReports.AddRunAsync(Database.Contexts, [new(IngestOutcome.Accepted), new(IngestOutcome.Rejected, RejectReason.Corrupt)]);
        Services.AddSingleton(new IngestQueries(Database.Contexts));
        var page = RenderAt<IngestRunPage>($"/ingest/runs/{runId}", p => p.FindAll("h1").Count > 0, p => p.Add(x => x.Id, runId));

        await page.FindAll("button.filter").Single(b => b.TextContent == "Duplicates").ClickAsync(new());

        Assert.Equal("No file of this run was a duplicate.", page.Find("table[aria-label='Files of this run'] tbody tr").TextContent);
    }

    private async Task<long> RunWithFilesAsync(int files) =>
        await IngestReports.AddRunAsync(Database.Contexts, Enumerable.Repeat(new IngestReports.File(IngestOutcome.Rejected, RejectReason.TooSmall), files).ToList());
}

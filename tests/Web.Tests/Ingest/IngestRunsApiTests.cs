using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Web.Ingest;

namespace AnnotateAnyone.Web.Tests.Ingest;

/// <summary>Ingest runs started over HTTP; no Worker runs here, so runs stay queued (EndToEnd tests ingest them).</summary>
public sealed class IngestRunsApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_file_of_urls_on_the_worker_machines_starts_a_run_and_a_relative_path_is_refused()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var started = await lead.PostAsJsonAsync("/api/ingest/runs", new { kind = "urlFile", path = "/data/laion/urls.txt" });
        var relative = await lead.PostAsJsonAsync("/api/ingest/runs", new { kind = "urlFile", path = "urls.txt" });

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var run = await started.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Url", "URLs listed in /data/laion/urls.txt"), (run.GetProperty("kind").GetString(), run.GetProperty("description").GetString()));
        Assert.Equal("The URL list file 'urls.txt' must be an absolute path on the Worker machines.", await Problem.DetailAsync(relative, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_bucket_without_an_endpoint_is_refused_before_a_run_is_queued_where_the_store_is_a_filesystem()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var runsBefore = await app.Database.ScalarAsync("SELECT count(*) FROM ingest_runs");

        var response = await lead.PostAsJsonAsync("/api/ingest/runs", new { kind = "bucket", bucket = "photos" });

        Assert.Equal(IngestSourceValidation.OwnBucketNeedsS3, await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
        Assert.Equal(runsBefore, await app.Database.ScalarAsync("SELECT count(*) FROM ingest_runs"));
    }

    [Theory]
    [InlineData("/data/shard-7 ")]
    [InlineData(" /data/shard-7")]
    [InlineData("/data/shard-7\n")]
    public async Task A_folder_pasted_with_white_space_around_it_is_refused_before_a_run_is_queued(string path)
    {
        // A trailing space is a legal path, so the run would have been queued and failed on the Worker as a folder not found.
        var response = await (await app.ApiClientAsync(Roles.DataLead)).PostAsJsonAsync("/api/ingest/runs", new { kind = "folder", path });

        Assert.Equal($"The folder '{path}' begins or ends with white space: send the path without it.", await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_runs_files_are_listed_by_refusal_reason_and_a_reason_with_another_outcome_is_refused()
    {
        IngestReports.File[] files =
        [
            new(IngestOutcome.Rejected, RejectReason.Corrupt), new(IngestOutcome.Rejected, RejectReason.TooSmall), new(IngestOutcome.Accepted),
            new(IngestOutcome.Rejected, RejectReason.Corrupt),
        ];
        var runId = await IngestReports.AddRunAsync(app.Database.Contexts, files);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var corrupt = await lead.GetFromJsonAsync<JsonElement[]>($"/api/ingest/runs/{runId}/items?reason=Corrupt");
        var accepted = await lead.GetAsync($"/api/ingest/runs/{runId}/items?reason=Corrupt&outcome=Accepted");

        Assert.Equal(["photo-0.jpg", "photo-3.jpg"], corrupt!.Select(i => i.GetProperty("name").GetString()));
        // Outcomes and reasons are written by name, the names the filters take.
        Assert.All(corrupt!, i => Assert.Equal(("Rejected", "Corrupt"), (i.GetProperty("outcome").GetString(), i.GetProperty("reason").GetString())));
        Assert.Equal(["Corrupt", "TooSmall"], (await lead.GetFromJsonAsync<JsonElement[]>($"/api/ingest/runs/{runId}/rejections"))!
            .Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal("Only refused files have a reason: leave out 'outcome' or make it Rejected to list the files refused as Corrupt.",
            await Problem.DetailAsync(accepted, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_runs_refused_files_download_as_csv_with_every_row_and_a_name_that_says_which()
    {
        var files = Enumerable.Range(0, 2500).Select(i => new IngestReports.File(i % 5 == 0 ? IngestOutcome.Accepted : IngestOutcome.Rejected,
            i % 5 == 0 ? null : RejectReason.Corrupt)).ToList();
        var runId = await IngestReports.AddRunAsync(app.Database.Contexts, files);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var response = await lead.GetAsync($"/api/ingest/runs/{runId}/items.csv?outcome=rejected");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("text/csv", $"ingest-run-{runId}-rejected.csv"),
            (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName));
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("number,file,outcome,reason,detail,bytes,image_id,duplicate_of", lines[0]);
        Assert.Equal(2000, lines.Length - 1);
        Assert.Equal("2,photo-1.jpg,Rejected,Corrupt,photo-1.jpg was refused,0,,", lines[1]);
    }

    [Theory]
    [InlineData("plain.jpg", "plain.jpg")]
    [InlineData("a, \"quoted\" name.jpg", "\"a, \"\"quoted\"\" name.jpg\"")]
    [InlineData("=HYPERLINK(\"x\").jpg", "\"'=HYPERLINK(\"\"x\"\").jpg\"")]
    [InlineData("-1.jpg", "'-1.jpg")]
    public void A_csv_field_is_quoted_where_it_must_be_and_never_read_as_a_formula(string text, string field) =>
        Assert.Equal(field, IngestReportCsv.Field(text));

    [Fact]
    public async Task Runs_are_read_a_page_at_a_time_newest_first()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var started = new List<long>();
        for (var i = 0; i < 3; i++)
            started.Add((await (await lead.PostAsJsonAsync("/api/ingest/runs", new { kind = "folder", path = $"/data/shard-{i}" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        var first = await lead.GetFromJsonAsync<JsonElement[]>("/api/ingest/runs?take=2");
        var next = await lead.GetFromJsonAsync<JsonElement[]>($"/api/ingest/runs?take=2&before={first![^1].GetProperty("id").GetInt64()}");

        Assert.Equal([started[2], started[1]], first.Select(r => r.GetProperty("id").GetInt64()));
        Assert.Equal(started[0], next![0].GetProperty("id").GetInt64());
    }
}

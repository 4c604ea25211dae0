using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Web.Tests.Releases;

/// <summary>The Web side of releases; no Worker runs here, so defined releases stay queued (Worker and EndToEnd tests build them).</summary>
public sealed class ReleasesApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Theory]
    [InlineData("""{"name": "HQ", "version": "one"}""", "'one' is not a release version")]
    [InlineData("""{"name": "", "version": "1.0"}""", "A release needs a name")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"filter": {"requiredAttributes": ["hair.colour"]}}}""", "Required attribute 'hair.colour' is not in taxonomy version")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"splits": {"validation": 0.7, "test": 0.5}}}""", "Split shares must lie between 0 and 1")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"formats": ["csv"]}}""", "Unknown format 'csv'")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"filter": {"rounds": [99]}}}""", "Round 99 does not exist")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"filter": {"excludedFlags": ["Blurry"]}}}""", "'Blurry' is not an image flag")]
    [InlineData("""{"name": "HQ", "version": "1.0", "spec": {"shardBytes": 10}}""", "Shard size must be between")]
    public async Task A_bad_definition_is_refused_with_its_reason(string body, string reason)
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var response = await lead.PostAsync("/api/releases", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        Assert.DoesNotContain(db.Releases, r => r.Name == "HQ");
    }

    [Fact]
    public async Task A_release_is_defined_once_and_a_second_of_the_same_version_is_refused()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var first = await lead.PostAsJsonAsync("/api/releases", new { name = "Twice-HQ", version = "2.0" });
        var second = await lead.PostAsJsonAsync("/api/releases", new { name = "Twice-HQ", version = "2.0" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var view = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Building", view.GetProperty("summary").GetProperty("status").GetString());
        Assert.Equal("releases/twice-hq/2.0", view.GetProperty("prefix").GetString());
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already exists", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_releases_counts_read_back_in_the_order_written_though_the_database_sorts_keys_by_length()
    {
        var index = await app.ActiveTaxonomyAsync();
        var attribute = index.Attributes.First(a => a.Values.Select(v => v.Key.Length).Distinct().Count() > 1);
        var values = attribute.Values.OrderBy(v => v.Position).Select(v => v.Key).ToList();
        var key = TaxonomyIndex.KeyOf(index.GroupOf(attribute.Id), attribute);
        var counts = new ReleaseCounts(1, 1, new Dictionary<string, long> { ["train"] = 1, ["validation"] = 0, ["test"] = 0 },
            new Dictionary<string, long> { ["human"] = 1 }, ReleaseStatsCollector.ResolutionLabels.ToDictionary(l => l, _ => 1L),
            [new AttributeStats(key, values.ToDictionary(v => v, _ => 1L), new Dictionary<string, long> { ["human"] = 1 })]);
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        var release = new Release
        {
            Name = "Ordered-HQ", Version = "1.0", Status = ReleaseStatus.Published, TaxonomyVersionId = index.Version.Id,
            Spec = JsonDocument.Parse("{}"), Prefix = "releases/ordered-hq/1.0", Counts = counts.ToDocument(),
        };
        db.Releases.Add(release);
        await db.SaveChangesAsync();

        var view = await (await app.ApiClientAsync(Roles.DataLead)).GetFromJsonAsync<JsonElement>($"/api/releases/{release.Id}");

        var read = view.GetProperty("counts");
        Assert.Equal(ReleaseStatsCollector.ResolutionLabels, read.GetProperty("resolutionHistogram").EnumerateObject().Select(p => p.Name));
        Assert.Equal(values, read.GetProperty("attributes")[0].GetProperty("values").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["train", "validation", "test"], read.GetProperty("imagesPerSplit").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task A_preview_counts_what_the_filter_selects()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var preview = await (await lead.PostAsJsonAsync("/api/releases/preview", new { filter = new { minWidth = 100 } })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(0, preview.GetProperty("images").GetInt64());
        Assert.Equal(0, preview.GetProperty("imagesPerSplit").GetProperty("train").GetInt64());
        Assert.Equal(0, preview.GetProperty("sample").GetArrayLength());
    }

    [Fact]
    public async Task Files_of_a_release_not_yet_published_cannot_be_downloaded()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var id = (await (await lead.PostAsJsonAsync("/api/releases", new { name = "Pending-HQ", version = "1.0" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("summary").GetProperty("id").GetInt32();

        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/releases/{id}/files/manifest.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await lead.GetAsync($"/api/releases/{id}/files")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync("/api/releases/9999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.PostAsync($"/api/releases/{id}/verify", null)).StatusCode);
    }

    [Fact]
    public async Task Verifying_a_published_release_queues_a_Worker_job_whose_report_is_read_where_it_said()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);
        var id = (await (await lead.PostAsJsonAsync("/api/releases", new { name = "Checked-HQ", version = "1.0" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("summary").GetProperty("id").GetInt32();
        await using (var publish = app.Database.DataSource.CreateCommand($"UPDATE releases SET status = {(int)ReleaseStatus.Published}, published_at = now() WHERE id = {id}"))
            await publish.ExecuteNonQueryAsync();

        var response = await lead.PostAsync($"/api/releases/{id}/verify", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("VerifyRelease", job.GetProperty("kind").GetString());
        Assert.Equal(id, job.GetProperty("parameters").GetProperty("releaseId").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, (await lead.GetAsync(response.Headers.Location)).StatusCode);
    }

    [Theory]
    [InlineData("""{"folder": "relative/path", "labelFiles": ["train.parquet"]}""", "must be an absolute path")]
    [InlineData("""{"folder": "/data/hq", "labelFiles": []}""", "Name at least one label file")]
    [InlineData("""{"folder": "/data/hq", "labelFiles": ["../../etc/passwd"]}""", "must be a path inside the folder")]
    public async Task A_bad_import_is_refused_with_its_reason(string body, string reason)
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var response = await lead.PostAsync("/api/releases/import", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_two_different_published_releases_can_be_compared()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var same = await lead.PostAsJsonAsync("/api/releases/diff", new { from = 1, to = 1 });
        var unknown = await lead.PostAsJsonAsync("/api/releases/diff", new { from = 4040, to = 4041 });
        var oneNamed = await lead.PostAsJsonAsync("/api/releases/diff", new { from = 1 });

        Assert.Equal(HttpStatusCode.BadRequest, same.StatusCode);
        Assert.Equal("Name both releases by id: 'from' and 'to' (GET /api/releases lists them).", await Problem.DetailAsync(oneNamed, HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("is not a published release", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync("/api/releases/jobs/999999")).StatusCode);
    }
}

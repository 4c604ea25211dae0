using System.Net;
using System.Net.Http.Json;
using System.Text;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Ingest;

/// <summary>Uploads as the Web host stages them; no Worker runs here, so runs stay queued (EndToEnd tests ingest them).</summary>
public sealed class UploadApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task An_upload_that_breaks_off_inside_a_file_keeps_the_files_before_it_and_reports_where_it_broke()
    {
        // Two parts: the first whole, the second cut off before its end and before the closing boundary.
        var body = Part("a.jpg", "first file, whole") + Part("b.jpg", "second file, cut").TrimEnd('\r', '\n')[..^12];

        var response = await PostUploadAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<IngestRunSummary>())!.Id;
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        var run = await db.IngestRuns.SingleAsync(r => r.Id == runId);
        Assert.NotNull(run.JobRunId);
        Assert.Equal(new UploadSource(UploadStaging.Prefix(runId), 2), IngestLauncher.ReadSource(run));
        var refused = await db.IngestItems.SingleAsync(i => i.IngestRunId == runId);
        Assert.Equal((1, "b.jpg", RejectReason.Truncated), (refused.Ordinal, refused.Name, refused.Reason));
        Assert.Contains("broke off while this file was being sent, after 1 whole file(s)", refused.Detail);
        var staged = await app.Services.GetRequiredService<IObjectStore>().ListAsync(UploadStaging.Prefix(runId)).Select(o => o.Key).ToListAsync();
        Assert.Equal([UploadStaging.Key(runId, 0, "a.jpg")], staged);
    }

    [Fact]
    public async Task An_upload_with_no_file_part_is_refused_with_the_reason()
    {
        var response = await PostUploadAsync($"--{Boundary}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--{Boundary}--\r\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The upload holds no files", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_upload_body_that_is_not_multipart_inside_is_refused_with_the_reason()
    {
        var response = await PostUploadAsync("this is not multipart at all");

        Assert.Equal("The upload could not be read as multipart/form-data with one part per file: the body ends before its parts and their closing boundary do.",
            await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task An_upload_whose_content_type_names_no_boundary_is_refused_saying_so()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Part("photo.jpg", "x")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data");

        var response = await (await app.ApiClientAsync(Roles.DataLead)).PostAsync("/api/ingest/uploads", content);

        Assert.StartsWith("The multipart/form-data content type names no boundary", await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("张伟 (1).jpg", "张伟 (1).jpg")]
    [InlineData("https://example.org/people/photo.jpg", "photo.jpg")]
    [InlineData("batch/a:b?.jpg", "a_b_.jpg")]
    public async Task A_refused_file_downloads_under_the_name_it_came_under(string name, string downloadName)
    {
        var store = app.Services.GetRequiredService<IObjectStore>();
        var key = $"staging/refused/{Guid.NewGuid():N}.jpg";
        await store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream");
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        var run = new IngestRun { SourceKind = ImageSourceKind.Upload, Source = System.Text.Json.JsonDocument.Parse("{}"), Description = "test" };
        db.IngestRuns.Add(run);
        await db.SaveChangesAsync();
        var item = new IngestItem { IngestRunId = run.Id, Name = name, Outcome = IngestOutcome.Rejected, Reason = RejectReason.Corrupt, FileKey = key };
        db.IngestItems.Add(item);
        await db.SaveChangesAsync();

        var response = await (await app.ApiClientAsync(Roles.DataLead)).GetAsync($"/api/ingest/items/{item.Id}/file");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(downloadName, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal([1, 2, 3], await response.Content.ReadAsByteArrayAsync());
    }

    private const string Boundary = "upload-boundary";

    private static string Part(string fileName, string content) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{fileName}\"\r\nContent-Type: image/jpeg\r\n\r\n{content}\r\n";

    private async Task<HttpResponseMessage> PostUploadAsync(string body)
    {
        var client = await app.ApiClientAsync(Roles.DataLead);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={Boundary}");
        return await client.PostAsync("/api/ingest/uploads", content);
    }

    private sealed record IngestRunSummary(long Id);
}

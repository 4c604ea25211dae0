using System.Runtime.CompilerServices;
using System.Security.Claims;
using System.Text.Json;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace AnnotateAnyone.Web.Ingest;

/// <summary>Ingest over HTTP: uploads, runs from folders, buckets, URL lists or the generator, and their reports.</summary>
public static class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/ingest").RequireAuthorization(Policies.Ingest).WithTags("Ingest");
        // Bearer-token clients send no cookie, and browsers' session cookies are SameSite=Strict, so a
        // cross-site form cannot upload in someone's name: no antiforgery token is needed here.
        ingest.MapPost("/uploads", UploadAsync).DisableAntiforgery().WithMetadata(new DisableRequestSizeLimitAttribute())
            .ReadsBodyAs<IFormFileCollection>("multipart/form-data")
            .WithSummary("Upload files as an ingest run (multipart/form-data, one part per file)");
        ingest.MapPost("/runs", StartAsync).ReadsBodyAs<IngestSource>().WithSummary("Start an ingest run from a folder, a bucket, a URL list or the generator");
        ingest.MapGet("/runs", async Task<IResult> (IngestQueries queries, long? before, CancellationToken ct, int take = 50) =>
            Problems.OutsidePage(take, 500, "runs") ?? TypedResults.Ok(await queries.RecentAsync(before, take, ct)))
            .Produces<IReadOnlyList<IngestRunView>>()
            .WithSummary("Ingest runs, newest first");
        ingest.MapGet("/runs/{id:long}", async Task<Results<Ok<IngestRunView>, ProblemHttpResult>> (long id, IngestQueries queries, CancellationToken ct) =>
            await queries.FindAsync(id, ct) is { } run ? TypedResults.Ok(run) : NoSuchRun(id))
            .WithSummary("An ingest run and its counts");
        ingest.MapGet("/runs/{id:long}/items", ItemsAsync).Produces<IReadOnlyList<IngestItemView>>().WithSummary("A run's files in order, with their outcomes");
        ingest.MapGet("/runs/{id:long}/items.csv", ItemsCsvAsync).Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .WithSummary("A run's files with their outcomes, as CSV");
        ingest.MapGet("/runs/{id:long}/rejections", async Task<IResult> (long id, IngestQueries queries, CancellationToken ct) =>
            await queries.ExistsAsync(id, ct) ? TypedResults.Ok(await queries.RejectionsAsync(id, ct)) : NoSuchRun(id))
            .Produces<IReadOnlyList<RejectionSummary>>()
            .WithSummary("How many of a run's files were refused, by reason");
        ingest.MapGet("/items/{id:long}/file", DownloadAsync).ServesFile("application/octet-stream").WithSummary("A refused file as it was received");
        return app;
    }

    private static async Task<IResult> ItemsAsync(long id, IngestQueries queries, IngestOutcome? outcome, RejectReason? reason,
        CancellationToken ct, int after = -1, int take = 200)
    {
        var filter = new IngestFilter(outcome, reason);
        return Problems.OutsidePage(take, 1000, "files") ?? await CannotListAsync(id, filter, queries, ct)
            ?? TypedResults.Ok(await queries.ItemsAsync(id, filter, after, take, ct));
    }

    /// <summary>Every file of the run that the filter keeps, as CSV (<see cref="IngestReportCsv"/>).</summary>
    private static async Task<IResult> ItemsCsvAsync(long id, IngestQueries queries, IngestOutcome? outcome, RejectReason? reason, CancellationToken ct)
    {
        var filter = new IngestFilter(outcome, reason);
        var name = $"ingest-run-{id}{(reason is { } r ? $"-{r}" : outcome is { } o ? $"-{o}" : "")}.csv".ToLowerInvariant();
        return await CannotListAsync(id, filter, queries, ct)
            ?? Results.Stream(body => IngestReportCsv.WriteAsync(queries.AllItemsAsync(id, filter, ct), body, ct), "text/csv; charset=utf-8", name);
    }

    /// <summary>Why a run's files cannot be listed with <paramref name="filter"/> (a reason beside another outcome, no such run), or null.</summary>
    private static async Task<IResult?> CannotListAsync(long id, IngestFilter filter, IngestQueries queries, CancellationToken ct) =>
        filter.Problem is { } problem ? Problems.BadRequest(problem) : await queries.ExistsAsync(id, ct) ? null : NoSuchRun(id);

    private static async Task<Results<Accepted<IngestRunView>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, UploadStager stager, IngestQueries queries, ClaimsPrincipal me, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem("Send the files as multipart/form-data (one part per file).", statusCode: StatusCodes.Status415UnsupportedMediaType);
        // A content type set by hand ("-H Content-Type: multipart/form-data") leaves out the boundary the parts are cut at.
        if (HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            return Problems.BadRequest("The multipart/form-data content type names no boundary between the files: let the client write it (curl -F file=@photo.jpg, not -H Content-Type).");
        try
        {
            var run = await stager.StageAsync(ReadFilesAsync(request, boundary, ct), me.UserId(), ct);
            return TypedResults.Accepted($"/api/ingest/runs/{run.Id}", (await queries.FindAsync(run.Id, ct))!);
        }
        catch (InvalidIngestSourceException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    private static async IAsyncEnumerable<UploadedFile> ReadFilesAsync(HttpRequest request, string boundary, [EnumeratorCancellation] CancellationToken ct)
    {
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null };
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.IsFileDisposition()) continue;
            var name = disposition.FileNameStar.Value ?? disposition.FileName.Value ?? "file";
            yield return new UploadedFile(HeaderUtilities.RemoveQuotes(name).Value ?? name, null, () => section.Body);
        }
    }

    private static async Task<Results<Accepted<IngestRunView>, ProblemHttpResult>> StartAsync(
        JsonElement? body, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, IngestLauncher launcher, IngestQueries queries, ClaimsPrincipal me, CancellationToken ct)
    {
        // Read here rather than bound: without "kind" the reader cannot tell which source to make and throws
        // NotSupportedException, which the framework's binding would answer with a 500.
        var options = json.Value.SerializerOptions;
        if (body is not { ValueKind: JsonValueKind.Object } given)
            return Problems.BadRequest(body is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? SourceShape : $"The body must be an object. {SourceShape}");
        if (SourceType(given, options) is not { } kind)
            return Problems.BadRequest(given.TryGetProperty("kind", out var named) ? $"{named.GetRawText()} is not a kind of ingest source. {SourceShape}" : SourceShape);
        IngestSource? source;
        try
        {
            source = given.Deserialize<IngestSource>(options)!;
        }
        catch (JsonException e)
        {
            // Explained against the kind named, whose fields the reader was reading.
            return Problems.BadRequest(UnreadableRequests.Explain(e, kind, options));
        }
        if (source is UploadSource)
            return Problems.BadRequest("Upload files with POST /api/ingest/uploads (multipart/form-data).");
        try
        {
            var run = await launcher.StartAsync(source, me.UserId(), ct);
            return TypedResults.Accepted($"/api/ingest/runs/{run.Id}", (await queries.FindAsync(run.Id, ct))!);
        }
        catch (InvalidIngestSourceException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    /// <summary>The source type the body's "kind" names, or null when it names none.</summary>
    private static Type? SourceType(JsonElement body, JsonSerializerOptions options) =>
        body.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
            ? options.GetTypeInfo(typeof(IngestSource)).PolymorphismOptions?.DerivedTypes
                .FirstOrDefault(t => t.TypeDiscriminator as string == kind.GetString()).DerivedType
            : null;

    private const string SourceShape = "Send an ingest source: a JSON object whose \"kind\" is folder, bucket, urls, urlFile or synthetic, with that kind's fields.";

    /// <summary>A refused file as it was received: a presigned address on S3, streamed from the filesystem store.</summary>
    private static async Task<Results<RedirectHttpResult, FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(
        long id, IngestQueries queries, IObjectStore store, CancellationToken ct)
    {
        var item = await queries.ItemAsync(id, ct);
        if (item is null) return Problems.NotFound($"Ingest item {id} does not exist.");
        if (item.FileKey is null)
            return Problems.NotFound($"'{item.Name}' was not kept ({item.Reason}: {item.Detail}).");
        if (await store.GetDownloadUrlAsync(item.FileKey, TimeSpan.FromMinutes(10), ct) is { } url) return TypedResults.Redirect(url.ToString());
        return TypedResults.Stream(await store.OpenReadAsync(item.FileKey, ct), "application/octet-stream", DownloadName(item.Name));
    }

    /// <summary>
    /// The last part of the name the file came under (an upload's name, a bucket key, an address), less the characters
    /// a saved file cannot hold; the response writes a name beyond ASCII as RFC 5987's filename* beside a plain one.
    /// </summary>
    private static string DownloadName(string name)
    {
        var last = Path.GetFileName(name.Replace('\\', '/'));
        var saved = new string(last.Select(c => char.IsControl(c) || "\"*:<>?|".Contains(c) ? '_' : c).ToArray()).Trim('.', ' ');
        return saved.Length == 0 ? "file" : saved;
    }

    private static ProblemHttpResult NoSuchRun(long id) => Problems.NotFound($"Ingest run {id} does not exist.");
}

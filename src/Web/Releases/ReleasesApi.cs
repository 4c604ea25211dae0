using System.Security.Claims;
using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using AnnotateAnyone.Web.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Releases;

/// <summary>Releases over HTTP: define and preview (data leads), list, read, download and verify (data leads, ops, scripts).</summary>
public static class ReleasesApi
{
    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/releases").RequireAuthorization(Policies.ReadReleases).WithTags("Releases");
        var lead = app.MapGroup("/api/releases").RequireAuthorization(Policies.Lead).WithTags("Releases");

        read.MapGet("/", async (ReleaseViews views, CancellationToken ct) => TypedResults.Ok(await views.ListAsync(ct))).WithSummary("Releases, newest first");
        read.MapGet("/{id:int}", async Task<Results<Ok<ReleaseView>, ProblemHttpResult>> (int id, ReleaseViews views, CancellationToken ct) =>
            await views.GetAsync(id, ct) is { } release ? TypedResults.Ok(release) : Problems.NotFound($"Release {id} does not exist."))
            .WithSummary("A release: its spec, counts, lineage and state");
        read.MapGet("/{id:int}/files", async Task<Results<Ok<IReadOnlyList<ReleaseFile>>, ProblemHttpResult>> (int id, ReleaseViews views, CancellationToken ct) =>
            await views.GetAsync(id, ct) switch
            {
                null => Problems.NotFound($"Release {id} does not exist."),
                { Summary.Status: not nameof(ReleaseStatus.Published) } r => Problems.Conflict($"{r.Summary.Name} {r.Summary.Version} is not published yet."),
                var r => TypedResults.Ok(r.Files),
            })
            .WithSummary("A release's files");
        read.MapGet("/{id:int}/files/{**path}", DownloadAsync).ServesFile(ReleaseContentTypes.All)
            .WithSummary("Download a file of a release (byte ranges allowed)");
        // A Worker checks the files: a large release is hours of reading, more than a request can wait for.
        read.MapPost("/{id:int}/verify", async Task<Results<Accepted<JobRunView>, ProblemHttpResult>> (int id, ReleaseViews views, JobScheduler scheduler,
            ClaimsPrincipal me, CancellationToken ct) =>
            await NotPublishedAsync(views, id, ct) is { } problem ? problem
                : await QueueAsync(scheduler, JobKind.VerifyRelease, new VerifyReleaseParameters(id), me, ct))
            .WithSummary("Check a release's files against their checksums (a job)");

        read.MapPost("/diff", async Task<Results<Accepted<JobRunView>, ProblemHttpResult>> (DiffReleasesParameters request, ReleaseViews views, JobScheduler scheduler,
            ClaimsPrincipal me, CancellationToken ct) =>
        {
            if (request.From == 0 || request.To == 0) return Problems.BadRequest("Name both releases by id: 'from' and 'to' (GET /api/releases lists them).");
            if (request.From == request.To) return Problems.BadRequest("Choose two different releases.");
            foreach (var id in new[] { request.From, request.To })
                if (await NotPublishedAsync(views, id, ct) is { } problem) return problem;
            return await QueueAsync(scheduler, JobKind.DiffReleases, request, me, ct);
        })
            .WithSummary("Compare two releases (a job)");
        read.MapGet("/jobs/{job:long}", async Task<Results<Ok<JsonElement>, Accepted<JobRunView>, ProblemHttpResult>> (long job, JobViews jobs, CancellationToken ct) =>
            await jobs.GetAsync(job, ct) switch
            {
                null or { Kind: not (nameof(JobKind.DiffReleases) or nameof(JobKind.ImportLabels) or nameof(JobKind.VerifyRelease)) } =>
                    Problems.NotFound($"No release comparison, import or verification has job number {job}."),
                { Status: nameof(JobRunStatus.Succeeded), Result: { } result } => TypedResults.Ok(result),
                { Status: nameof(JobRunStatus.Queued) or nameof(JobRunStatus.Running) } run => TypedResults.Accepted(JobAddress(job), run),
                var run => Problems.Conflict(run.Error ?? $"The job ended {run.Status}."),
            })
            .WithSummary("The answer of a release job (202 while it runs)");

        lead.MapPost("/import", async Task<Results<Accepted<JobRunView>, ProblemHttpResult>> (ImportLabelsParameters request, JobScheduler scheduler,
            ClaimsPrincipal me, CancellationToken ct) =>
        {
            if (request.Problems() is [_, ..] problems) return Problems.BadRequest(string.Join(" ", problems));
            return await QueueAsync(scheduler, JobKind.ImportLabels, request, me, ct);
        })
            .WithSummary("Import CosmicMan-HQ label files into the active taxonomy (a job)");

        lead.MapPost("/preview", async Task<Results<Ok<ReleasePreview>, ProblemHttpResult>> (ReleaseSpec spec, ReleaseService service, CancellationToken ct) =>
        {
            try
            {
                return TypedResults.Ok(await service.PreviewAsync(spec, ct));
            }
            catch (ArgumentException e)
            {
                return Problems.BadRequest(e.Message);
            }
        })
            .WithSummary("What a release of this spec would hold, without cutting it");
        lead.MapPost("/", async Task<Results<Accepted<ReleaseView>, ProblemHttpResult>> (ReleaseRequest request, ReleaseService service, ReleaseViews views,
            ClaimsPrincipal me, CancellationToken ct) =>
        {
            try
            {
                var release = await service.DefineAsync(request, me.UserId(), ct);
                return TypedResults.Accepted($"/api/releases/{release.Id}", await views.GetAsync(release.Id, ct));
            }
            catch (ArgumentException e)
            {
                return Problems.BadRequest(e.Message);
            }
            catch (ReleaseConflictException e)
            {
                return Problems.Conflict(e.Message);
            }
        })
            .WithSummary("Cut an immutable, versioned release (a job)");
        return app;
    }

    /// <summary>The answer when release <paramref name="id"/> is not published (release jobs read only published ones); null when it is.</summary>
    private static async Task<ProblemHttpResult?> NotPublishedAsync(ReleaseViews views, int id, CancellationToken ct) =>
        await views.FindAsync(id, ct) is { Status: ReleaseStatus.Published } ? null
            : Problems.NotFound($"Release {id} is not a published release.");

    /// <summary>Queues a release job and answers with it, pointing at the address its result is read from.</summary>
    private static async Task<Accepted<JobRunView>> QueueAsync(JobScheduler scheduler, JobKind kind, object parameters, ClaimsPrincipal me, CancellationToken ct)
    {
        var run = await scheduler.EnqueueAsync(kind, parameters, me.UserId(), cancellationToken: ct);
        return TypedResults.Accepted(JobAddress(run.Id), JobRunView.From(run));
    }

    private static string JobAddress(long job) => $"/api/releases/jobs/{job}";

    /// <summary>A file of a published release: a presigned address where the store gives one, the bytes streamed otherwise.</summary>
    private static async Task<Results<RedirectHttpResult, FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(int id, string path, ReleaseViews views,
        IObjectStore store, CancellationToken ct)
    {
        var release = await views.FindAsync(id, ct);
        if (release is not { Status: ReleaseStatus.Published })
            return Problems.NotFound($"Release {id} is not a published release.");
        var key = $"{release.Prefix}/{path}";
        try
        {
            ObjectKeys.Validate(key);
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
        if (await store.StatAsync(key, ct) is null)
            return Problems.NotFound($"{release.Name} {release.Version} has no file '{path}'.");
        if (await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(30), ct) is { } url) return TypedResults.Redirect(url.ToString());
        return TypedResults.Stream(await store.OpenReadAsync(key, ct), ReleaseContentTypes.Of(path), Path.GetFileName(path), enableRangeProcessing: true);
    }
}

using System.Security.Claims;
using System.Text.RegularExpressions;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnnotateAnyone.Web.Daring;

/// <summary>Daring over HTTP: training runs (ops), versions with their reports, generation and its files.</summary>
public static partial class DaringApi
{
    public static IEndpointRouteBuilder MapDaringApi(this IEndpointRouteBuilder app)
    {
        var daring = app.MapGroup("/api/daring").WithTags("Daring");
        daring.MapPost("/runs", (TrainDaringParameters request, DaringLauncher launcher, ClaimsPrincipal me, CancellationToken ct) =>
            AcceptedAsync(() => launcher.TrainAsync(request, me.UserId(), ct))).RequireAuthorization(Policies.Operate)
            .WithSummary("Fine-tune a Daring text-to-image model (a job)");
        daring.MapGet("/versions", async (DaringViews views, CancellationToken ct) => TypedResults.Ok(await views.ModelsAsync(ct)))
            .RequireAuthorization(Policies.ViewModels)
            .WithSummary("Daring models and their evaluations");
        daring.MapPost("/generations", (GenerateImagesParameters request, DaringLauncher launcher, ClaimsPrincipal me, CancellationToken ct) =>
            AcceptedAsync(() => launcher.GenerateAsync(request, me.UserId(), ct), id => $"/api/daring/generations/{id}")).RequireAuthorization(Policies.ViewModels)
            .WithSummary("Generate images from captions with a Daring model (a job)");
        daring.MapGet("/generations/{id:long}", async Task<Results<Ok<GenerationView>, ProblemHttpResult>> (long id, DaringViews views, CancellationToken ct) =>
            await views.GenerationAsync(id, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"Image generation {id} does not exist.")).RequireAuthorization(Policies.ViewModels)
            .WithSummary("A generation and its images");
        daring.MapGet("/generations/{id:long}/files/{name}", ServeAsync).RequireAuthorization(Policies.ViewModels).ServesFile("image/png")
            .WithSummary("One generated image");
        return app;
    }

    private static async Task<Results<Accepted<object>, ProblemHttpResult>> AcceptedAsync(Func<Task<Data.Jobs.JobRun>> start, Func<long, string>? location = null)
    {
        try
        {
            var run = await start();
            return TypedResults.Accepted(location?.Invoke(run.Id) ?? $"/api/jobs/{run.Id}", (object)new { JobRunId = run.Id });
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    /// <summary>A generated image or overlay: presigned from S3, streamed from the filesystem store.</summary>
    private static async Task<Results<RedirectHttpResult, FileStreamHttpResult, ProblemHttpResult>> ServeAsync(long id, string name, IObjectStore store, CancellationToken ct)
    {
        var key = $"generated/{id}/{name}";
        if (!FileName().IsMatch(name) || await store.StatAsync(key, ct) is null)
            return Problems.NotFound($"Image generation {id} has no file '{name}'.");
        if (await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(30), ct) is { } url) return TypedResults.Redirect(url.ToString());
        return TypedResults.Stream(await store.OpenReadAsync(key, ct), "image/png");
    }

    /// <summary>The generated file name of an object key ("generated/12/7-hair.png" → "7-hair.png").</summary>
    public static string FileUrl(long runId, string key) => $"/api/daring/generations/{runId}/files/{key[(key.LastIndexOf('/') + 1)..]}";

    [GeneratedRegex(@"^[0-9]+(-[A-Za-z0-9_-]+)?\.png$")]
    private static partial Regex FileName();
}

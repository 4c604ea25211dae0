using System.Security.Claims;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Review;

/// <summary>An image and its current labels, image files for the browser (thumbnail, original, parsing map), an image's label history, the images explorer's search, and sending images back to review.</summary>
public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/images", SearchAsync).RequireAuthorization(Policies.Lead).WithTags("Images")
            .WithSummary("Images newest first, by state, round, label and who gave it");
        app.MapPost("/api/images/review", SendToReviewAsync).RequireAuthorization(Policies.Lead).WithTags("Images").WithSummary("Send images back to review");
        var images = app.MapGroup("/api/images/{id:long}").RequireAuthorization(Policies.ViewImages).WithTags("Images");
        // Its current labels are other people's answers: for those who oversee the work, as the audit trail is.
        images.MapGet("/", async Task<Results<Ok<ImageDetailView>, ProblemHttpResult>> (long id, ImageDetails details, CancellationToken ct) =>
            await details.LoadAsync(id, ct) is { } image ? TypedResults.Ok(image) : Problems.NotFound($"Image {id} does not exist."))
            .RequireAuthorization(Policies.ReadAudit)
            .WithSummary("An image and its current labels");
        images.MapGet("/thumbnail", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.ThumbnailKey, "thumbnail", "image/jpeg", contexts, store, ct))
            .ServesFile("image/jpeg").WithSummary("An image's thumbnail");
        images.MapGet("/original", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.OriginalKey, "original", null, contexts, store, ct))
            .ServesFile(ImageMediaTypes.All).WithSummary("An image's original file");
        images.MapGet("/parsing-map", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.ParsingMapKey, "parsing map", "image/png", contexts, store, ct))
            .ServesFile("image/png").WithSummary("An image's human-parsing map");
        images.MapGet("/region", RegionAsync).ServesFile("image/png").WithSummary("A veil over an image that leaves the given parsing classes clear");
        images.MapGet("/history", async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> (long id, ImageHistory history, HttpContext http,
            IAuthorizationService authorization, CancellationToken ct) =>
            await history.LoadAsync(id, await ImageHistory.DecisionsShownToAsync(http.User, authorization), ct) is { } entries
                ? TypedResults.Ok(entries)
                : Problems.NotFound($"Image {id} does not exist."))
            .WithSummary("Every decision on an image, oldest first");
        return app;
    }

    /// <summary>Images newest first, filtered (<see cref="ImageSearch"/>); <c>next</c> is the <c>before</c> of the following page.</summary>
    private static async Task<Results<Ok<ImageSearchPage>, ProblemHttpResult>> SearchAsync(ImageSearch search, ImageStatus? status, int? round,
        string? attribute, string? value, LabelOrigin? origin, long? before, CancellationToken ct, int take = 60)
    {
        try
        {
            var filter = new ImageSearchFilter { Status = status, Round = round, Attribute = attribute, Value = value, Origin = origin };
            return TypedResults.Ok(await search.FindAsync(filter, before, take, ct));
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    public sealed record ReviewRequest(IReadOnlyList<long> Images);

    /// <summary>Images back to people, ahead of the queue (<see cref="ReviewRequests"/>).</summary>
    private static async Task<Results<Ok<SentToReview>, ProblemHttpResult>> SendToReviewAsync(ReviewRequest request, ReviewRequests requests,
        ClaimsPrincipal me, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await requests.SendAsync(request.Images, me.UserId(), ct));
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    /// <summary>The veil over the review viewer that shows where a group is (<see cref="RegionVeil"/>): classes=9,10 for the shoes.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> RegionAsync(long id, string? classes,
        IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, HttpResponse response, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var image = await db.Images.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.ParsingMapKey }).SingleOrDefaultAsync(ct);
        if (image is null) return Problems.NotFound($"Image {id} does not exist.");
        if (ParsingClassList(classes) is not { } wanted)
            return Problems.BadRequest($"'classes' must list parsing classes, whole numbers from 0 to 255 separated by commas (classes=9,10 for the shoes); it was '{classes}'.");
        if (image.ParsingMapKey is null) return Problems.NotFound($"Image {id} came without a parsing map, so no region of it can be shown.");
        try
        {
            var veil = RegionVeil.Draw(await store.ReadAllBytesAsync(image.ParsingMapKey, ct), wanted);
            // An image's map never changes: the browser keeps each veil while the annotator moves between attributes.
            response.Headers.CacheControl = "private, max-age=86400";
            return TypedResults.File(veil, "image/png");
        }
        catch (InvalidDataException e)
        {
            return TypedResults.Problem($"Image {id}'s parsing map cannot be shown: {e.Message}", statusCode: StatusCodes.Status422UnprocessableEntity);
        }
    }

    private static HashSet<byte>? ParsingClassList(string? classes)
    {
        var parts = (classes ?? "").Split(',', StringSplitOptions.TrimEntries);
        var parsed = new HashSet<byte>();
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)) return null;
            parsed.Add(value);
        }
        return parsed;
    }

    /// <summary>Presigned redirect from S3 (the browser fetches straight from the store); a stream from the filesystem store.</summary>
    private static async Task<Results<RedirectHttpResult, FileStreamHttpResult, ProblemHttpResult>> ServeAsync(long id, Func<Image, string?> key, string file, string? contentType,
        IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (image is null || key(image) is not { } objectKey) return Problems.NotFound(image is null ? $"Image {id} does not exist." : $"Image {id} has no {file}.");
        if (await store.GetDownloadUrlAsync(objectKey, TimeSpan.FromMinutes(30), ct) is { } url) return TypedResults.Redirect(url.ToString());
        var type = contentType ?? ImageMediaTypes.Of(image.Format ?? ImageFormat.Jpeg);
        var stream = await store.OpenReadAsync(objectKey, ct);
        return TypedResults.Stream(stream, type, lastModified: image.UpdatedAt, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Convert.ToHexString(image.Sha256)}\""));
    }
}

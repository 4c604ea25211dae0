using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Review;

/// <summary>Image files for the browser (thumbnail, original, parsing map) and an image's label history.</summary>
public static class ImagesApi
{
    public static IEndpointRouteBuilder MapImagesApi(this IEndpointRouteBuilder app)
    {
        var images = app.MapGroup("/api/images/{id:long}").RequireAuthorization(Policies.ViewImages).WithTags("Images");
        images.MapGet("/thumbnail", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.ThumbnailKey, "image/jpeg", contexts, store, ct));
        images.MapGet("/original", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.OriginalKey, null, contexts, store, ct));
        images.MapGet("/parsing-map", (long id, IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct) =>
            ServeAsync(id, i => i.ParsingMapKey, "image/png", contexts, store, ct));
        images.MapGet("/history", async Task<Results<Ok<IReadOnlyList<HistoryEntry>>, ProblemHttpResult>> (long id, ImageHistory history, CancellationToken ct) =>
            await history.LoadAsync(id, ct) is { } entries ? TypedResults.Ok(entries) : Problems.NotFound($"Image {id} does not exist."));
        return app;
    }

    /// <summary>Presigned redirect from S3 (the browser fetches straight from the store); a stream from the filesystem store.</summary>
    private static async Task<Results<RedirectHttpResult, FileStreamHttpResult, ProblemHttpResult>> ServeAsync(long id, Func<Image, string?> key, string? contentType,
        IDbContextFactory<AnnotateDbContext> contexts, IObjectStore store, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var image = await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (image is null || key(image) is not { } objectKey) return Problems.NotFound(image is null ? $"Image {id} does not exist." : $"Image {id} has no such file.");
        if (await store.GetDownloadUrlAsync(objectKey, TimeSpan.FromMinutes(30), ct) is { } url) return TypedResults.Redirect(url.ToString());
        var type = contentType ?? image.Format switch { ImageFormat.Png => "image/png", ImageFormat.Webp => "image/webp", _ => "image/jpeg" };
        var stream = await store.OpenReadAsync(objectKey, ct);
        return TypedResults.Stream(stream, type, lastModified: image.UpdatedAt, entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{Convert.ToHexString(image.Sha256)}\""));
    }
}

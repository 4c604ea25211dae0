using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>The release a job works on, which must exist and be published.</summary>
internal static class PublishedReleases
{
    /// <param name="use">What the job does with it, for the error: "compared", "verified".</param>
    public static async Task<Release> FindAsync(IDbContextFactory<AnnotateDbContext> contexts, int id, string use, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var release = await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new InvalidOperationException($"Release {id} does not exist.");
        if (release.Status != ReleaseStatus.Published)
            throw new InvalidOperationException($"{release.Name} {release.Version} is not published; only published releases can be {use}.");
        return release;
    }
}

using System.Text.Json;
using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// Builds a defined release and publishes it; a failed or cancelled build marks it failed, and a retry starts it afresh.
/// A build interrupted by its Worker stopping stays building: its run goes back to the queue and starts again.
/// </summary>
internal sealed class BuildReleaseJob(IDbContextFactory<AnnotateDbContext> contexts, ReleaseBuilder builder, AuditTrail audit, TimeProvider clock) : IJobHandler
{
    public JobKind Kind => JobKind.BuildRelease;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var id = context.Parameters<BuildReleaseParameters>().ReleaseId;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var release = await db.Releases.SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new InvalidOperationException($"Release {id} does not exist.");
        if (release.Status == ReleaseStatus.Published)
        {
            await context.LogAsync("info", $"{release.Name} {release.Version} is already published; nothing to do.", cancellationToken);
            return new { release.Id, AlreadyPublished = true };
        }

        release.Status = ReleaseStatus.Building;
        release.Error = null;
        release.JobRunId = context.Run.Id;
        await db.SaveChangesAsync(cancellationToken);
        await context.LogAsync("info", $"Building {release.Name} {release.Version} under {release.Prefix}.", cancellationToken);
        try
        {
            var built = await builder.BuildAsync(release, (done, total) =>
                context.ReportProgressAsync(total == 0 ? 1 : (float)done / total, $"{done:N0} of {total:N0} images written", cancellationToken), cancellationToken);
            release.Status = ReleaseStatus.Published;
            release.PublishedAt = clock.GetUtcNow();
            release.ManifestKey = built.ManifestKey;
            release.Counts = built.Counts.ToDocument();
            release.Files = JsonSerializer.SerializeToDocument(built.Files, ReleaseCounts.Json);
            release.Lineage = JsonSerializer.SerializeToDocument(built.Lineage, ReleaseCounts.Json);
            await db.SaveChangesAsync(CancellationToken.None);
            // Published on behalf of the lead who defined the release (a release defined by a script's token has one too).
            await audit.RecordAsync(release.CreatedBy?.ToString() ?? "system", "release.published", "release", release.Id.ToString(),
                new { release.Name, release.Version, built.Counts.Images, built.Counts.Labels, Files = built.Files.Count }, CancellationToken.None);
            await context.LogAsync("info", $"Published {release.Name} {release.Version}: {built.Counts.Images:N0} images, {built.Counts.Labels:N0} labels, {built.Files.Count} files.", CancellationToken.None);
            return new { release.Id, built.Counts.Images, built.Counts.Labels, Files = built.Files.Count };
        }
        catch (Exception e)
        {
            if (!await context.EndsTheRunAsync(e, cancellationToken)) throw;
            release.Status = ReleaseStatus.Failed;
            release.Error = e is OperationCanceledException ? "The build was cancelled; retry its job to build again." : e.Message;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }
}

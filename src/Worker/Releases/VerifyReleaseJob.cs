using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// Checks every file of a published release against its manifest and checksum lists; the report is the job's result.
/// A Worker's job, not a web request: a CosmicMan-sized release lists millions of images, hours of reading.
/// </summary>
internal sealed class VerifyReleaseJob(IDbContextFactory<AnnotateDbContext> contexts, ReleaseVerifier verifier, TimeProvider clock) : IJobHandler
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(2);

    public JobKind Kind => JobKind.VerifyRelease;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var release = await PublishedReleases.FindAsync(contexts, context.Parameters<VerifyReleaseParameters>().ReleaseId, "verified", cancellationToken);
        var reported = clock.GetTimestamp();
        return await verifier.VerifyAsync(release.Prefix, async (checkedFiles, token) =>
        {
            if (clock.GetElapsedTime(reported) < ProgressEvery) return;
            reported = clock.GetTimestamp();
            await context.ReportProgressAsync(0, $"{checkedFiles:N0} files checked", token);
        }, cancellationToken);
    }
}

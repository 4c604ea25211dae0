using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Daring;

/// <summary>
/// Starts Daring work from the dashboard, the generation page and the HTTP API alike: checks the parameters and
/// what they point at (a published release, an existing round, a trained Daring version) before anything is queued.
/// </summary>
/// <exception cref="ArgumentException">Thrown by both methods with every reason the request cannot run.</exception>
public sealed class DaringLauncher(IDbContextFactory<AnnotateDbContext> contexts, JobScheduler scheduler)
{
    public async Task<JobRun> TrainAsync(TrainDaringParameters parameters, Guid? user, CancellationToken cancellationToken)
    {
        var problems = parameters.Problems().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (parameters.ReleaseId is { } releaseId && await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == releaseId, cancellationToken) is var release)
        {
            if (release is null) problems.Add($"Release {releaseId} does not exist.");
            else if (release.Status != ReleaseStatus.Published) problems.Add($"{release.Name} {release.Version} is not published yet.");
        }
        if (parameters.RoundId is { } roundId && !await db.Rounds.AnyAsync(r => r.Id == roundId, cancellationToken))
            problems.Add($"Round {roundId} does not exist.");
        ThrowIfAny(problems);
        return await scheduler.EnqueueAsync(JobKind.TrainDaring, parameters, user, cancellationToken: cancellationToken);
    }

    public async Task<JobRun> GenerateAsync(GenerateImagesParameters parameters, Guid? user, CancellationToken cancellationToken)
    {
        var problems = parameters.Problems().ToList();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.ModelVersions.AnyAsync(m => m.Id == parameters.ModelVersionId && m.Kind == ModelKind.Diffusion && m.WeightsKey != null, cancellationToken))
            problems.Add(parameters.ModelVersionId == 0
                ? "Name the Daring model to draw with as 'modelVersionId' (GET /api/daring/versions lists the trained ones)."
                : $"Model version {parameters.ModelVersionId} is not a trained Daring model.");
        ThrowIfAny(problems);
        return await scheduler.EnqueueAsync(JobKind.GenerateImages, parameters, user, cancellationToken: cancellationToken);
    }

    private static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
    }
}

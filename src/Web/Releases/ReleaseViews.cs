using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Releases;

public sealed record ReleaseSummary(int Id, string Name, string Version, string Status, int TaxonomyVersion, string? Parent, long? Images, long? Labels,
    double? HumanShare, long? JobRunId, float? Progress, string? ProgressMessage, string? Error, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt);

public sealed record ReleaseView(ReleaseSummary Summary, string Prefix, ReleaseSpec Spec, ReleaseCounts? Counts, IReadOnlyList<ReleaseFile> Files,
    ReleaseLineage? Lineage, IReadOnlyList<LineageModelView> TrainedModels);

/// <summary>A model version trained on this release (the other half of the lineage).</summary>
public sealed record LineageModelView(string Kind, int Number, string Name);

/// <summary>Releases as the pages and the API show them.</summary>
public sealed class ReleaseViews(IDbContextFactory<AnnotateDbContext> contexts, TaxonomyStore taxonomies)
{
    /// <summary>The version a new release of <paramref name="name"/> would take: the latest one's minor version plus one, or 1.0.</summary>
    public async Task<string> NextVersionAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return NextVersion(await db.Releases.Where(r => r.Name == name).Select(r => r.Version).ToListAsync(cancellationToken));
    }

    /// <inheritdoc cref="NextVersionAsync"/>
    public static string NextVersion(IEnumerable<string> versions)
    {
        var latest = versions.Select(v => Version.TryParse(v.Contains('.') ? v : v + ".0", out var parsed) ? parsed : null).OfType<Version>().Max();
        return latest is null ? "1.0" : $"{latest.Major}.{Math.Max(latest.Minor, 0) + 1}";
    }

    public async Task<IReadOnlyList<ReleaseSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var releases = await db.Releases.AsNoTracking().OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(cancellationToken);
        return await SummariesAsync(db, releases, cancellationToken);
    }

    public async Task<ReleaseView?> GetAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var release = await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (release is null) return null;
        var trained = await db.ModelVersions.AsNoTracking().Where(m => m.TrainedOnReleaseId == id).OrderBy(m => m.Number)
            .Select(m => new LineageModelView(m.Kind.ToString(), m.Number, m.Name)).ToListAsync(cancellationToken);
        return new ReleaseView((await SummariesAsync(db, [release], cancellationToken))[0], release.Prefix, ReleaseService.SpecOf(release),
            ReleaseCounts.From(release.Counts)?.InWrittenOrder(new TaxonomyIndex(await taxonomies.GetAsync(release.TaxonomyVersionId, cancellationToken))),
            release.Files?.Deserialize<List<ReleaseFile>>(ReleaseCounts.Json) ?? [],
            release.Lineage?.Deserialize<ReleaseLineage>(ReleaseCounts.Json), trained);
    }

    public async Task<Release?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    private static async Task<IReadOnlyList<ReleaseSummary>> SummariesAsync(AnnotateDbContext db, List<Release> releases, CancellationToken cancellationToken)
    {
        var jobIds = releases.Where(r => r.JobRunId != null).Select(r => r.JobRunId!.Value).ToList();
        var jobs = await db.JobRuns.AsNoTracking().Where(j => jobIds.Contains(j.Id)).ToDictionaryAsync(j => j.Id, cancellationToken);
        var parentIds = releases.Where(r => r.ParentId != null).Select(r => r.ParentId!.Value).ToList();
        var parents = await db.Releases.AsNoTracking().Where(r => parentIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => $"{r.Name} {r.Version}", cancellationToken);
        var taxonomyIds = releases.Select(r => r.TaxonomyVersionId).Distinct().ToList();
        var taxonomies = await db.TaxonomyVersions.AsNoTracking().Where(t => taxonomyIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Number, cancellationToken);
        return releases.Select(r =>
        {
            var counts = ReleaseCounts.From(r.Counts);
            var job = r.JobRunId is { } j ? jobs.GetValueOrDefault(j) : null;
            return new ReleaseSummary(r.Id, r.Name, r.Version, r.Status.ToString(), taxonomies.GetValueOrDefault(r.TaxonomyVersionId),
                r.ParentId is { } p ? parents.GetValueOrDefault(p) : null, counts?.Images, counts?.Labels, counts?.HumanShare,
                r.JobRunId, job?.Progress, job?.ProgressMessage, r.Error ?? (job?.Status == JobRunStatus.Failed ? job.Error : null), r.CreatedAt, r.PublishedAt);
        }).ToList();
    }
}

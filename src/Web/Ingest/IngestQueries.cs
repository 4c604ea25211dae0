using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Ingest;

/// <summary>Ingest runs and their reports as the page and the API show them.</summary>
public sealed class IngestQueries(IDbContextFactory<AnnotateDbContext> contexts)
{
    /// <summary>
    /// A seed no synthetic run has used yet (the highest used, plus one): the same seed draws the same people again,
    /// and every one of them would be refused as a duplicate.
    /// </summary>
    public async Task<int> UnusedSyntheticSeedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Database.SqlQuery<int>($"""
            SELECT least(coalesce(max((source->>'seed')::bigint), 0) + 1, {int.MaxValue})::int AS "Value"
            FROM ingest_runs WHERE source_kind = {(short)Data.Images.ImageSourceKind.Synthetic}
            """).SingleAsync(cancellationToken);
    }

    /// <summary>Runs newest first; <paramref name="before"/>: only runs older than that one (the last id of the page before).</summary>
    public async Task<IReadOnlyList<IngestRunView>> RecentAsync(long? before, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from run in db.IngestRuns.AsNoTracking()
                          where before == null || run.Id < before
                          join job in db.JobRuns.AsNoTracking() on run.JobRunId equals job.Id into jobs
                          from job in jobs.DefaultIfEmpty()
                          orderby run.Id descending
                          select new { run, job }).Take(take).ToListAsync(cancellationToken);
        return rows.Select(r => IngestRunView.From(r.run, r.job)).ToList();
    }

    public async Task<IngestRunView?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.IngestRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return null;
        var job = run.JobRunId is { } jobId ? await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(j => j.Id == jobId, cancellationToken) : null;
        return IngestRunView.From(run, job);
    }

    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.IngestRuns.AnyAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>A page of a run's items in source order (<see cref="Items"/>); <paramref name="after"/> is the last ordinal seen.</summary>
    public async Task<IReadOnlyList<IngestItemView>> ItemsAsync(long runId, IngestFilter filter, int after, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await Items(db, runId, filter).Where(i => i.Ordinal > after).OrderBy(i => i.Ordinal).Take(take).ToListAsync(cancellationToken))
            .Select(IngestItemView.From).ToList();
    }

    /// <summary>Every item of a run in source order (<see cref="Items"/>), streamed from the database: a run may hold millions.</summary>
    public async IAsyncEnumerable<IngestItemView> AllItemsAsync(long runId, IngestFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await foreach (var item in Items(db, runId, filter).OrderBy(i => i.Ordinal).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return IngestItemView.From(item);
    }

    /// <summary>
    /// A run's items, optionally of one outcome or of files refused for one reason (which are read along the run's
    /// refused files).
    /// </summary>
    private static IQueryable<IngestItem> Items(AnnotateDbContext db, long runId, IngestFilter filter)
    {
        var items = db.IngestItems.AsNoTracking().Where(i => i.IngestRunId == runId);
        if (filter.Outcome is { } outcome) items = items.Where(i => i.Outcome == outcome);
        // The outcome too, so that a reason's files are read along the run's refused files in order.
        if (filter.Reason is { } reason) items = items.Where(i => i.Outcome == IngestOutcome.Rejected && i.Reason == reason);
        return items;
    }

    public async Task<IReadOnlyList<RejectionSummary>> RejectionsAsync(long runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.IngestItems.AsNoTracking().Where(i => i.IngestRunId == runId && i.Outcome == IngestOutcome.Rejected && i.Reason != null)
            .GroupBy(i => i.Reason).Select(g => new { Reason = g.Key!.Value, Count = g.Count() }).ToListAsync(cancellationToken);
        return counts.OrderByDescending(c => c.Count).Select(c => new RejectionSummary(c.Reason, c.Count)).ToList();
    }

    public async Task<IngestItem?> ItemAsync(long itemId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.IngestItems.AsNoTracking().SingleOrDefaultAsync(i => i.Id == itemId, cancellationToken);
    }
}

using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// The files a resumed run recorded before. Chunks are recorded in listing order, so they are every ordinal up to
/// some point plus, at most, a few beyond it (files an upload refused as they arrived): held as that point and the
/// few instead of a set of every ordinal, which for a run of millions of files would take hundreds of megabytes.
/// </summary>
internal sealed class RecordedFiles(int prefixEnd, IReadOnlySet<int> beyond)
{
    public int Count { get; } = prefixEnd + 1 + beyond.Count;

    public bool Contains(int ordinal) => ordinal <= prefixEnd || beyond.Contains(ordinal);

    public static async Task<RecordedFiles> LoadAsync(AnnotateDbContext db, long runId, CancellationToken cancellationToken)
    {
        // The prefix ends before the first ordinal that is not its own position in order (an index-only scan).
        var prefixEnd = await db.Database.SqlQuery<int>($"""
            WITH ranked AS (
                SELECT ordinal, (row_number() OVER (ORDER BY ordinal) - 1)::int AS position FROM ingest_items WHERE ingest_run_id = {runId})
            SELECT coalesce(min(position) FILTER (WHERE ordinal <> position) - 1, max(position), -1) AS "Value" FROM ranked
            """).SingleAsync(cancellationToken);
        var beyond = await db.Database.SqlQuery<int>($"""
            SELECT ordinal AS "Value" FROM ingest_items WHERE ingest_run_id = {runId} AND ordinal > {prefixEnd}
            """).ToListAsync(cancellationToken);
        return new RecordedFiles(prefixEnd, beyond.ToHashSet());
    }
}

using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using Npgsql;

namespace AnnotateAnyone.Web.Operations;

/// <summary>
/// The pipeline at a glance: images by status, labels by source, reviews waiting, and the round under way (or, with
/// none under way, the last one finished).
/// <see cref="Estimated"/>: the image and label counts were scaled up from a sample (see <see cref="PipelineStats"/>).
/// </summary>
public sealed record PipelineSnapshot(
    IReadOnlyDictionary<string, long> ImagesByStatus,
    IReadOnlyDictionary<string, long> LabelsBySource,
    long OpenReviews,
    long ImagesAwaitingLabels,
    LatestRound? Round,
    DateTimeOffset MeasuredAt,
    bool Estimated)
{
    /// <summary>What goes before a figure: "≈ " when it was counted from a sample, nothing when it is exact.</summary>
    public string About => Estimated ? "≈ " : "";
}

public sealed record LatestRound(int Number, string Status, long Images)
{
    public bool IsCompleted => Status == nameof(Data.Rounds.RoundStatus.Completed);

    /// <summary>One wording wherever the round is shown: "Round 2, reviewing, 120 images".</summary>
    public override string ToString() => $"Round {Number}, {Status.ToLowerInvariant()}, {Images:N0} images";
}

/// <summary>
/// Counts over the whole data set, measured at most once per <see cref="MaxAge"/> and shared by every dashboard
/// watching, never once per viewer. Exact counts of CosmicMan's 115 million labels take tens of seconds each time,
/// which every 15 seconds would keep the database counting: a table the planner estimates at
/// <paramref name="exactBelow"/> rows or more is counted on a 1% sample of its pages instead, scaled to its estimated
/// size (within a few percent at that size), and the snapshot says so.
/// </summary>
public sealed class PipelineStats(NpgsqlDataSource dataSource, TimeProvider clock, long exactBelow = 1_000_000)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(15);

    private readonly SemaphoreSlim _measuring = new(1, 1);
    private PipelineSnapshot? _last;

    public async Task<PipelineSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        if (_last is { } fresh && clock.GetUtcNow() - fresh.MeasuredAt < MaxAge) return fresh;
        await _measuring.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } measured && clock.GetUtcNow() - measured.MeasuredAt < MaxAge) return measured;
            return _last = await MeasureAsync(cancellationToken);
        }
        finally
        {
            _measuring.Release();
        }
    }

    private async Task<PipelineSnapshot> MeasureAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (images, imagesEstimated) = await CountByAsync(connection, "images", "status", s => ((ImageStatus)s).ToString(), cancellationToken);
        var (labels, labelsEstimated) = await CountByAsync(connection, "labels", "source", s => ((LabelSource)s).ToString(), cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        // Gold checks are made for one annotator as they are served, not items waiting in the queue.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT count(*) FROM review_tasks WHERE status = 0 AND kind <> 3"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT r.number, r.status, (SELECT count(*) FROM images i WHERE i.round_id = r.id)
            FROM annotation_rounds r ORDER BY r.status = 4, r.number DESC LIMIT 1
            """));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var openReviews = reader.GetInt64(0);
        await reader.NextResultAsync(cancellationToken);
        LatestRound? round = await reader.ReadAsync(cancellationToken)
            ? new LatestRound(reader.GetInt32(0), ((Data.Rounds.RoundStatus)reader.GetInt16(1)).ToString(), reader.GetInt64(2))
            : null;
        var awaiting = images.GetValueOrDefault(nameof(ImageStatus.Ingested)) + images.GetValueOrDefault(nameof(ImageStatus.PendingReview));
        return new PipelineSnapshot(images, labels, openReviews, awaiting, round, clock.GetUtcNow(), imagesEstimated || labelsEstimated);
    }

    /// <summary>Rows per value of a smallint column: exact, or from a sample of the table's pages when the table is large.</summary>
    private async Task<(Dictionary<string, long> Counts, bool Estimated)> CountByAsync(NpgsqlConnection connection, string table, string column,
        Func<short, string> name, CancellationToken cancellationToken)
    {
        // reltuples is the planner's row estimate, kept by autovacuum; -1 until the table is first analysed.
        await using var estimate = new NpgsqlCommand("SELECT reltuples::bigint FROM pg_class WHERE oid = @table::regclass", connection);
        estimate.Parameters.AddWithValue("table", table);
        var rows = (long)(await estimate.ExecuteScalarAsync(cancellationToken))!;
        var sampled = rows >= exactBelow && rows > 0;
        await using var count = new NpgsqlCommand(
            $"SELECT {column}, count(*) FROM {table} {(sampled ? "TABLESAMPLE SYSTEM (1)" : "")} GROUP BY {column}", connection);
        var counts = new Dictionary<string, long>();
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) counts[name(reader.GetInt16(0))] = reader.GetInt64(1);
        if (!sampled) return (counts, false);
        var inSample = counts.Values.Sum();
        return (counts.ToDictionary(c => c.Key, c => (long)Math.Round((double)c.Value * rows / inSample)), true);
    }
}

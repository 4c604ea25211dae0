using System.Threading.Channels;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// Streams a release's images from PostgreSQL with binary COPY, one reused <see cref="ReleaseRecord"/> at a time:
/// memory stays flat however many images the release has.
/// </summary>
public sealed class ReleaseRows(NpgsqlDataSource dataSource)
{
    /// <summary>Calls <paramref name="row"/> for every image in id order; returns how many there were.</summary>
    public async Task<long> ReadAsync(ReleaseQuery query, ReleaseSplits splits, Func<ReleaseRecord, CancellationToken, ValueTask> row,
        CancellationToken cancellationToken, int? limit = null)
    {
        var slots = query.Taxonomy.Attributes.Select((a, slot) => (a.Id, slot)).ToDictionary(x => x.Id, x => x.slot);
        var garments = AbsentGarment.Of(query.Taxonomy.Version)
            .Select(g => new GarmentSlots(g, slots[g.TypeId], g.PartIds.Select(id => slots[id]).ToArray())).ToArray();
        var record = new ReleaseRecord(slots.Count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var export = await connection.BeginBinaryExportAsync($"COPY ({query.RowsSql(limit)}) TO STDOUT (FORMAT BINARY)", cancellationToken);
        long count = 0;
        // The synchronous reads are several times faster than the asynchronous ones, row after row.
        while (export.StartRow() != -1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            record.ImageId = export.Read<long>();
            record.Sha256 = export.Read<byte[]>();
            record.Width = Nullable<int>(export) ?? 0;
            record.Height = Nullable<int>(export) ?? 0;
            record.Format = Nullable<short>(export) is { } format ? (ImageFormat)format : null;
            record.OriginalKey = export.Read<string>();
            record.ParsingMapKey = export.IsNull ? Skipped<string>(export) : export.Read<string>();
            record.RoundId = Nullable<int>(export);
            record.Split = ReleaseSplit.Of(record.Sha256, splits);
            ReadLabels(export, record, slots);
            LeaveOutAbsentGarmentParts(record, garments);
            await row(record, cancellationToken);
            count++;
        }
        return count;
    }

    /// <summary>
    /// Like <see cref="ReadAsync"/>, but reads on another thread, in batches of reused records, while
    /// <paramref name="row"/> runs here: PostgreSQL producing rows and the caller writing them overlap.
    /// </summary>
    public async Task<long> ReadPipelinedAsync(ReleaseQuery query, ReleaseSplits splits, Func<ReleaseRecord, CancellationToken, ValueTask> row,
        CancellationToken cancellationToken)
    {
        // Small batches: the rows in flight outlive the youngest generation of the garbage collector, and with 1,024 rows a
        // batch they were promoted, and collected again, by the thousand (export at 200,000 images: 1.7 s of pauses at
        // 1,024, 0.6 s at 128, with the same overlap of reading and writing).
        const int batchSize = 128;
        var attributes = query.Taxonomy.Attributes.Count();
        var full = Channel.CreateBounded<List<ReleaseRecord>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var empty = Channel.CreateUnbounded<List<ReleaseRecord>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Run(async () =>
        {
            try
            {
                var batch = new List<ReleaseRecord>(batchSize);
                var filled = 0;
                await ReadAsync(query, splits, async (record, ct) =>
                {
                    if (filled == batch.Count) batch.Add(new ReleaseRecord(attributes));
                    record.CopyTo(batch[filled++]);
                    if (filled < batchSize) return;
                    await full.Writer.WriteAsync(batch, ct);
                    batch = empty.Reader.TryRead(out var reused) ? reused : new List<ReleaseRecord>(batchSize);
                    filled = 0;
                }, stop.Token);
                if (filled > 0) await full.Writer.WriteAsync(batch.GetRange(0, filled), stop.Token);
                full.Writer.Complete();
            }
            catch (Exception e)
            {
                full.Writer.Complete(e);
            }
        }, CancellationToken.None);

        long count = 0;
        try
        {
            await foreach (var batch in full.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var record in batch)
                {
                    await row(record, cancellationToken);
                    count++;
                }
                empty.Writer.TryWrite(batch);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await producer;
        }
        return count;
    }

    private static void ReadLabels(NpgsqlBinaryExporter export, ReleaseRecord record, Dictionary<int, int> slots)
    {
        record.ClearLabels();
        if (export.IsNull)
        {
            for (var i = 0; i < 5; i++) export.Skip();
            return;
        }
        var attributes = export.Read<int[]>(NpgsqlDbType.Array | NpgsqlDbType.Integer);
        var values = export.Read<int?[]>(NpgsqlDbType.Array | NpgsqlDbType.Integer);
        var sources = export.Read<short[]>(NpgsqlDbType.Array | NpgsqlDbType.Smallint);
        var confidences = export.Read<float?[]>(NpgsqlDbType.Array | NpgsqlDbType.Real);
        var models = export.Read<int?[]>(NpgsqlDbType.Array | NpgsqlDbType.Integer);
        var start = 0;
        while (start < attributes.Length)
        {
            // The rows come one per value, so a multiple-choice label spans several consecutive entries.
            var end = start + 1;
            while (end < attributes.Length && attributes[end] == attributes[start]) end++;
            var slot = slots[attributes[start]];
            var ids = new int[values[start] is null ? 0 : end - start];
            for (var i = 0; i < ids.Length; i++) ids[i] = values[start + i]!.Value;
            record.Values[slot] = ids;
            record.Sources[slot] = (LabelSource)sources[start];
            record.Confidences[slot] = confidences[start];
            record.ModelVersionIds[slot] = models[start];
            record.LabelCount++;
            start = end;
        }
    }

    private static void LeaveOutAbsentGarmentParts(ReleaseRecord record, GarmentSlots[] garments)
    {
        foreach (var garment in garments)
        {
            if (!garment.Garment.IsAbsent(record.Values[garment.Type])) continue;
            foreach (var part in garment.Parts) record.RemoveLabel(part);
        }
    }

    /// <summary>An <see cref="AbsentGarment"/> in the record's attribute slots.</summary>
    private sealed record GarmentSlots(AbsentGarment Garment, int Type, int[] Parts);

    private static T? Nullable<T>(NpgsqlBinaryExporter export) where T : struct =>
        export.IsNull ? Skipped<T?>(export) : export.Read<T>();

    private static T? Skipped<T>(NpgsqlBinaryExporter export)
    {
        export.Skip();
        return default;
    }
}

using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>A processed file, ready to be recorded: its outcome, and the image row to create when there is one.</summary>
public sealed record IngestedFile(
    int Ordinal,
    string Name,
    long ByteSize,
    byte[]? Sha256,
    IngestOutcome Outcome,
    RejectReason? Reason,
    string? Detail,
    NewImage? Image,
    long? DuplicateOf,
    string? FileKey,
    TruthRecord? Truth);

public sealed record NewImage(
    byte[] Sha256,
    long? PerceptualHash,
    int? Width,
    int? Height,
    ImageFormat? Format,
    long ByteSize,
    ImageSourceKind SourceKind,
    string SourceUri,
    string OriginalKey,
    string? ThumbnailKey,
    string? ParsingMapKey,
    ImageStatus Status,
    string? RejectReason);

public sealed record TruthRecord(bool Usable, string Generator, long Seed, IReadOnlyList<TruthValue> Labels);

public sealed record TruthValue(int AttributeId, int[] ValueIds);

/// <summary>
/// Records a chunk of processed files in one transaction with binary COPY: image rows (idempotent on SHA-256),
/// ground truth, the run's items and its counters. A Worker killed mid-chunk leaves none of the chunk behind,
/// and the resumed run redoes exactly that chunk.
/// </summary>
public sealed class IngestWriter(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<IngestedFile>> WriteChunkAsync(long ingestRunId, IReadOnlyList<IngestedFile> files, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var ids = await InsertImagesAsync(connection, ingestRunId, files.Where(f => f.Image is not null).Select(f => f.Image!).ToList(), cancellationToken);
        var recorded = files.Select(f => Resolve(f, ids)).ToList();
        await QueueForReviewAsync(connection, recorded.Where(f => f is { Outcome: IngestOutcome.Accepted, Image: not null }).Select(f => ids[Key(f.Sha256!)].Id).ToArray(), cancellationToken);
        await InsertTruthAsync(connection, recorded, ids, cancellationToken);
        await InsertItemsAsync(connection, ingestRunId, recorded, ids, cancellationToken);
        await UpdateCountsAsync(connection, ingestRunId, recorded, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return recorded;
    }

    /// <summary>An image another Worker stored a moment earlier is, for this run, a duplicate of that one.</summary>
    private static IngestedFile Resolve(IngestedFile file, IReadOnlyDictionary<string, (long Id, bool Inserted)> ids)
    {
        if (file.Image is null) return file;
        var (id, inserted) = ids[Key(file.Image.Sha256)];
        return inserted ? file : file with { Outcome = IngestOutcome.Duplicate, Reason = null, Detail = $"already stored as image {id}", DuplicateOf = id, Image = null, Truth = null };
    }

    private static async Task<Dictionary<string, (long Id, bool Inserted)>> InsertImagesAsync(NpgsqlConnection connection, long ingestRunId,
        List<NewImage> images, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, (long, bool)>();
        if (images.Count == 0) return ids;

        await ExecuteAsync(connection, """
            CREATE TEMP TABLE incoming_images (
                sha256 bytea, perceptual_hash bigint, width int, height int, format smallint, byte_size bigint,
                source_kind smallint, source_uri text, original_key text, thumbnail_key text, parsing_map_key text,
                status smallint, reject_reason text) ON COMMIT DROP
            """, cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY incoming_images FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var image in images)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(image.Sha256, NpgsqlDbType.Bytea, cancellationToken);
                await WriteNullableAsync(copy, image.PerceptualHash, NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, image.Width, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, image.Height, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, (short?)image.Format, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(image.ByteSize, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync((short)image.SourceKind, NpgsqlDbType.Smallint, cancellationToken);
                await copy.WriteAsync(PostgresText.Storable(image.SourceUri), NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(image.OriginalKey, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, image.ThumbnailKey, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, image.ParsingMapKey, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync((short)image.Status, NpgsqlDbType.Smallint, cancellationToken);
                await WriteNullableAsync(copy, image.RejectReason, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using (var insert = new NpgsqlCommand("""
            INSERT INTO images (sha256, perceptual_hash, width, height, format, byte_size, source_kind, source_uri, original_key,
                                thumbnail_key, parsing_map_key, status, reject_reason, ingest_run_id, flags, is_gold)
            SELECT sha256, perceptual_hash, width, height, format, byte_size, source_kind, source_uri, original_key,
                   thumbnail_key, parsing_map_key, status, reject_reason, @run, 0, false
            FROM incoming_images
            ON CONFLICT (sha256) DO NOTHING
            RETURNING id, sha256
            """, connection))
        {
            insert.Parameters.AddWithValue("run", ingestRunId);
            await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids[Key((byte[])reader[1])] = (reader.GetInt64(0), true);
        }

        var conflicting = images.Where(i => !ids.ContainsKey(Key(i.Sha256))).Select(i => i.Sha256).ToArray();
        if (conflicting.Length > 0)
        {
            await using var existing = new NpgsqlCommand("SELECT id, sha256 FROM images WHERE sha256 = ANY(@shas)", connection);
            existing.Parameters.AddWithValue("shas", conflicting);
            await using var reader = await existing.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) ids[Key((byte[])reader[1])] = (reader.GetInt64(0), false);
        }
        return ids;
    }

    /// <summary>New pictures wait for review behind anything a model was unsure of (priority 1: no AI confidence yet).</summary>
    private static async Task QueueForReviewAsync(NpgsqlConnection connection, long[] imageIds, CancellationToken cancellationToken)
    {
        if (imageIds.Length == 0) return;
        await using var queue = new NpgsqlCommand("""
            INSERT INTO review_tasks (image_id, kind, priority, status, created_at)
            SELECT unnest(@images), 0, 1, 0, now()
            ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO NOTHING
            """, connection);
        queue.Parameters.AddWithValue("images", imageIds);
        await queue.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task InsertTruthAsync(NpgsqlConnection connection, List<IngestedFile> files,
        Dictionary<string, (long Id, bool Inserted)> ids, CancellationToken cancellationToken)
    {
        var withTruth = files.Where(f => f.Truth is not null && f.Image is not null).ToList();
        if (withTruth.Count == 0) return;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ground_truth (image_id, usable, generator, seed) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var file in withTruth)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(ids[Key(file.Sha256!)].Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(file.Truth!.Usable, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(file.Truth.Generator, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(file.Truth.Seed, NpgsqlDbType.Bigint, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY ground_truth_labels (image_id, attribute_id, value_ids) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var file in withTruth)
            foreach (var label in file.Truth!.Labels)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(ids[Key(file.Sha256!)].Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(label.AttributeId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(label.ValueIds, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
    }

    private static async Task InsertItemsAsync(NpgsqlConnection connection, long ingestRunId, List<IngestedFile> files,
        Dictionary<string, (long Id, bool Inserted)> ids, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY ingest_items (ingest_run_id, ordinal, name, outcome, reason, detail, byte_size, sha256, image_id, duplicate_of, file_key)
            FROM STDIN (FORMAT BINARY)
            """, cancellationToken);
        foreach (var file in files)
        {
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(ingestRunId, NpgsqlDbType.Bigint, cancellationToken);
            await copy.WriteAsync(file.Ordinal, NpgsqlDbType.Integer, cancellationToken);
            await copy.WriteAsync(PostgresText.Storable(file.Name), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync((short)file.Outcome, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(copy, (short?)file.Reason, NpgsqlDbType.Smallint, cancellationToken);
            await WriteNullableAsync(copy, PostgresText.StorableOrNull(file.Detail), NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(file.ByteSize, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(copy, file.Sha256, NpgsqlDbType.Bytea, cancellationToken);
            await WriteNullableAsync(copy, file.Image is null ? null : ids[Key(file.Sha256!)].Id, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(copy, file.DuplicateOf, NpgsqlDbType.Bigint, cancellationToken);
            await WriteNullableAsync(copy, file.FileKey, NpgsqlDbType.Text, cancellationToken);
        }
        await copy.CompleteAsync(cancellationToken);
    }

    private static async Task UpdateCountsAsync(NpgsqlConnection connection, long ingestRunId, List<IngestedFile> files, CancellationToken cancellationToken)
    {
        await using var update = new NpgsqlCommand("""
            UPDATE ingest_runs SET processed = processed + @processed, accepted = accepted + @accepted, rejected = rejected + @rejected,
                                   duplicates = duplicates + @duplicates, near_duplicates = near_duplicates + @near
            WHERE id = @run
            """, connection);
        update.Parameters.AddWithValue("run", ingestRunId);
        update.Parameters.AddWithValue("processed", files.Count);
        update.Parameters.AddWithValue("accepted", files.Count(f => f.Outcome == IngestOutcome.Accepted));
        update.Parameters.AddWithValue("rejected", files.Count(f => f.Outcome == IngestOutcome.Rejected));
        update.Parameters.AddWithValue("duplicates", files.Count(f => f.Outcome == IngestOutcome.Duplicate));
        update.Parameters.AddWithValue("near", files.Count(f => f.Outcome == IngestOutcome.NearDuplicate));
        await update.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Takes the value boxed: boxing unwraps Nullable&lt;T&gt;, so Npgsql sees either null or the plain value.</summary>
    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, object? value, NpgsqlDbType type, CancellationToken cancellationToken)
    {
        if (value is null) await copy.WriteNullAsync(cancellationToken);
        else await copy.WriteAsync(value, type, cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Key(byte[] sha256) => Convert.ToHexString(sha256);
}

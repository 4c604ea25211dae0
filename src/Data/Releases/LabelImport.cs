using AnnotateAnyone.Data.Labels;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// Import CosmicMan-HQ label files found under <paramref name="Folder"/> on the Worker machines (their <c>path</c> and
/// <c>segm_path</c> are relative to it), as verified labels or, with <paramref name="AsProposals"/>, as proposals
/// that go to review. The images must have been ingested (ingest the same folder first): they are matched by SHA-256.
/// </summary>
public sealed record ImportLabelsParameters(string Folder, IReadOnlyList<string> LabelFiles, bool AsProposals = false)
{
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Ingest.IngestSourceValidation.NotOnWorkers(Folder, "The folder") is { } folder) problems.Add(folder);
        if (LabelFiles.Count == 0) problems.Add("Name at least one label file (a Parquet file of the CosmicMan-HQ layout, relative to the folder).");
        foreach (var file in LabelFiles.Where(f => Path.IsPathRooted(f) || f.Split('/', '\\').Contains("..")))
            problems.Add($"'{file}' must be a path inside the folder.");
        return problems;
    }
}

/// <summary>A value the taxonomy does not have, how often the import met it, so a data lead can add it and import again.</summary>
public sealed record UnknownValue(string Attribute, string Value, int Count);

public sealed record LabelImportReport(int Rows, int Images, int Labels, int MissingImages, int NotIngested, IReadOnlyList<string> MissingExamples,
    IReadOnlyList<UnknownValue> UnknownValues);

/// <summary>One imported label: an ingested image, an attribute and its values.</summary>
public readonly record struct ImportedLabel(long ImageId, int AttributeId, int[] ValueIds);

/// <summary>
/// Writes imported labels as verified: one binary COPY into a staging table, then one statement each to upsert the
/// labels (source Imported), append their decisions and mark the images verified, in one transaction.
/// </summary>
public sealed class ImportedLabelWriter(NpgsqlDataSource dataSource)
{
    public async Task<int> WriteAsync(IReadOnlyCollection<ImportedLabel> labels, Guid? importedBy, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE incoming_labels (image_id bigint, attribute_id int, value_ids int[]) ON COMMIT DROP", connection))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY incoming_labels (image_id, attribute_id, value_ids) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var label in labels)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(label.ImageId, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(label.AttributeId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(label.ValueIds, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await using var write = new NpgsqlCommand("""
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, previous_value_ids, source, user_id, decided_at, time_spent_ms)
            SELECT n.image_id, n.attribute_id, n.value_ids, l.value_ids, @source, @user, now(), 0
            FROM incoming_labels n LEFT JOIN labels l ON l.image_id = n.image_id AND l.attribute_id = n.attribute_id;
            INSERT INTO labels (image_id, attribute_id, value_ids, source, confidence, model_version_id, decided_by, decided_at, revision)
            SELECT image_id, attribute_id, value_ids, @source, NULL, NULL, @user, now(), 1 FROM incoming_labels
            ON CONFLICT (image_id, attribute_id) DO UPDATE SET value_ids = excluded.value_ids, source = excluded.source, confidence = NULL,
                model_version_id = NULL, decided_by = excluded.decided_by, decided_at = excluded.decided_at, revision = labels.revision + 1;
            UPDATE images SET status = 3, updated_at = now() WHERE id IN (SELECT DISTINCT image_id FROM incoming_labels) AND status IN (0, 2);
            """, connection);
        write.Parameters.AddWithValue("source", (short)LabelSource.Imported);
        write.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)importedBy ?? DBNull.Value });
        await write.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return labels.Count;
    }
}

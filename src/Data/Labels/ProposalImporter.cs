using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Labels;

/// <summary>One proposal as an outside model sends it: the image by id or SHA-256, the attribute and values by key.</summary>
public sealed record ProposalRow(long? Image, string? Sha256, string? Attribute, string[]? Values, float? Confidence);

public sealed record ProposalError(int Row, string Message);

/// <summary>
/// What an import did; <paramref name="Queued"/> counts the images it put in the review queue (those not yet verified,
/// excluded or refused); <paramref name="ModelVersionId"/> is the model the proposals were recorded under, none when
/// nothing was written.
/// </summary>
public sealed record ProposalReport(int Written, int Images, IReadOnlyList<ProposalError> Errors, int? ModelVersionId, int Queued = 0)
{
    public bool Accepted => Errors.Count == 0;
}

/// <summary>
/// Takes proposals in bulk from any model (the platform's captioner, or one outside it): every row is checked
/// against the active taxonomy and the image catalogue, streamed into PostgreSQL with binary COPY, and written
/// only if every row is valid; otherwise nothing is written and each bad row is reported. The proposals' images
/// that wait for labels are queued for review, lowest confidence first; verified, excluded and refused images keep
/// their state (a model proposing for the whole data set must not send it back to people: a data lead does that).
/// </summary>
public sealed class ProposalImporter(NpgsqlDataSource dataSource, TaxonomyStore taxonomy)
{
    private const int MaxReportedErrors = 1000;

    public async Task<ProposalReport> ImportAsync(string model, string version, IAsyncEnumerable<ProposalRow?> rows, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(model) || string.IsNullOrWhiteSpace(version))
            return new ProposalReport(0, 0, [new ProposalError(0, "Name the model and its version (?model=...&version=...).")], null);
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        // Registered in the import's transaction, once the rows passed: a refused batch leaves no model behind.
        return await ImportAsync((connection, ct) => ExternalModelAsync(connection, model.Trim(), version.Trim(), index.Version.Id, ct),
            index, rows, cancellationToken);
    }

    /// <summary>
    /// Imports for a model already in the registry (the captioner's pre-annotation job uses this);
    /// <paramref name="alsoWrite"/> runs in the same transaction, so what it writes lands with the proposals or not at all.
    /// </summary>
    public Task<ProposalReport> ImportAsync(int modelVersionId, TaxonomyIndex index, IAsyncEnumerable<ProposalRow?> rows, CancellationToken cancellationToken,
        Func<NpgsqlConnection, CancellationToken, Task>? alsoWrite = null) =>
        ImportAsync((_, _) => Task.FromResult(modelVersionId), index, rows, cancellationToken, alsoWrite);

    private async Task<ProposalReport> ImportAsync(Func<NpgsqlConnection, CancellationToken, Task<int>> modelVersion, TaxonomyIndex index,
        IAsyncEnumerable<ProposalRow?> rows, CancellationToken cancellationToken, Func<NpgsqlConnection, CancellationToken, Task>? alsoWrite = null)
    {
        var errors = new List<ProposalError>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("""
            CREATE TEMP TABLE incoming_proposals (row int, image_id bigint, sha256 bytea, attribute_id int, value_ids int[], confidence real) ON COMMIT DROP
            """, connection))
            await create.ExecuteNonQueryAsync(cancellationToken);

        var count = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY incoming_proposals (row, image_id, sha256, attribute_id, value_ids, confidence) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            await foreach (var (row, number) in Numbered(rows, cancellationToken))
            {
                count++;
                var checkedRow = Check(row, number, index, errors);
                if (checkedRow is not { } valid) continue;
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(number, NpgsqlDbType.Integer, cancellationToken);
                if (valid.ImageId is { } id) await copy.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken); else await copy.WriteNullAsync(cancellationToken);
                if (valid.Sha256 is { } sha) await copy.WriteAsync(sha, NpgsqlDbType.Bytea, cancellationToken); else await copy.WriteNullAsync(cancellationToken);
                await copy.WriteAsync(valid.AttributeId, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(valid.ValueIds, NpgsqlDbType.Array | NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(valid.Confidence, NpgsqlDbType.Real, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        if (count == 0) errors.Add(new ProposalError(0, "The batch holds no proposals."));

        await ResolveImagesAsync(connection, errors, cancellationToken);
        await RepeatsAsync(connection, index, errors, cancellationToken);
        if (errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new ProposalReport(0, 0, errors.OrderBy(e => e.Row).Take(MaxReportedErrors).ToList(), null);
        }

        var modelVersionId = await modelVersion(connection, cancellationToken);
        var (images, queued) = await WriteAsync(connection, modelVersionId, cancellationToken);
        if (alsoWrite is not null) await alsoWrite(connection, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ProposalReport(count, images, [], modelVersionId, queued);
    }

    private static (long? ImageId, byte[]? Sha256, int AttributeId, int[] ValueIds, float Confidence)? Check(
        ProposalRow? row, int number, TaxonomyIndex index, List<ProposalError> errors)
    {
        void Fail(string message)
        {
            if (errors.Count < MaxReportedErrors) errors.Add(new ProposalError(number, message));
            else if (errors.Count == MaxReportedErrors) errors.Add(new ProposalError(number, "More errors follow; fix these first."));
        }

        if (row is null) { Fail("The row is empty."); return null; }
        byte[]? sha = null;
        if (row.Image is null && row.Sha256 is null) { Fail("Name the image by \"image\" (its id) or \"sha256\"."); return null; }
        if (row.Sha256 is { } hex)
        {
            try { sha = Convert.FromHexString(hex); } catch (FormatException) { }
            if (sha is not { Length: 32 }) { Fail($"\"{hex}\" is not a SHA-256 (64 hex digits)."); return null; }
        }
        if (row.Attribute is null || index.Find(row.Attribute) is not { } attribute)
        {
            Fail(index.UnknownAttribute(row.Attribute));
            return null;
        }
        if (row.Values is not { Length: > 0 } values) { Fail($"No value for {row.Attribute}."); return null; }
        if (attribute.Kind == AttributeKind.SingleChoice && values.Length > 1) { Fail($"{row.Attribute} takes one value; {values.Length} were given."); return null; }
        var ids = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (TaxonomyIndex.FindValue(attribute, values[i]) is not { } value)
            {
                Fail(TaxonomyIndex.NotAValue(values[i], index.KeyOf(attribute.Id), attribute));
                return null;
            }
            ids[i] = value.Id;
        }
        if (row.Confidence is not (>= 0 and <= 1)) { Fail($"The confidence must be between 0 and 1; it is {row.Confidence?.ToString() ?? "missing"}."); return null; }
        return (row.Image, sha, attribute.Id, ids, row.Confidence.Value);
    }

    private static async Task ResolveImagesAsync(NpgsqlConnection connection, List<ProposalError> errors, CancellationToken cancellationToken)
    {
        await using (var bySha = new NpgsqlCommand(
            "UPDATE incoming_proposals p SET image_id = i.id FROM images i WHERE p.image_id IS NULL AND i.sha256 = p.sha256", connection))
            await bySha.ExecuteNonQueryAsync(cancellationToken);
        await using var missing = new NpgsqlCommand("""
            SELECT p.row, p.image_id, encode(p.sha256, 'hex') FROM incoming_proposals p
            WHERE p.image_id IS NULL OR NOT EXISTS (SELECT 1 FROM images i WHERE i.id = p.image_id)
            ORDER BY p.row LIMIT 1000
            """, connection);
        await using var reader = await missing.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            errors.Add(new ProposalError(reader.GetInt32(0), reader.IsDBNull(1)
                ? $"No image has the SHA-256 {reader.GetString(2)}."
                : $"Image {reader.GetInt64(1)} does not exist."));
    }

    /// <summary>
    /// Rows that propose for an image and attribute a row before them already did (by id or by SHA-256): one of
    /// two answers would be the proposal with nothing to say which, so the batch is refused.
    /// </summary>
    private static async Task RepeatsAsync(NpgsqlConnection connection, TaxonomyIndex index, List<ProposalError> errors, CancellationToken cancellationToken)
    {
        await using var repeats = new NpgsqlCommand("""
            SELECT row, first, image_id, attribute_id FROM (
                SELECT row, image_id, attribute_id, min(row) OVER (PARTITION BY image_id, attribute_id) AS first
                FROM incoming_proposals WHERE image_id IS NOT NULL) r
            WHERE row <> first ORDER BY row LIMIT 1000
            """, connection);
        await using var reader = await repeats.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            errors.Add(new ProposalError(reader.GetInt32(0),
                $"Row {reader.GetInt32(1)} already proposes {index.NameOf(reader.GetInt32(3))} for image {reader.GetInt64(2)}: send one proposal per image and attribute."));
    }

    /// <summary>Writes the proposals and queues their waiting images; returns how many images they cover and how many were queued.</summary>
    private static async Task<(int Images, int Queued)> WriteAsync(NpgsqlConnection connection, int modelVersionId, CancellationToken cancellationToken)
    {
        await using var write = new NpgsqlCommand("""
            INSERT INTO label_proposals (image_id, attribute_id, value_ids, confidence, model_version_id, created_at)
            SELECT image_id, attribute_id, value_ids, confidence, @model, now() FROM incoming_proposals;

            CREATE TEMP TABLE waiting_images ON COMMIT DROP AS
            SELECT p.image_id, min(p.confidence) AS priority FROM incoming_proposals p JOIN images i ON i.id = p.image_id
            WHERE i.status IN (0, 2) GROUP BY p.image_id;

            INSERT INTO review_tasks (image_id, kind, priority, status, created_at)
            SELECT image_id, 0, priority, 0, now() FROM waiting_images
            ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO UPDATE SET priority = excluded.priority;

            UPDATE images SET status = 2, updated_at = now() WHERE id IN (SELECT image_id FROM waiting_images) AND status = 0;

            SELECT (SELECT count(DISTINCT image_id) FROM incoming_proposals), (SELECT count(*) FROM waiting_images);
            """, connection);
        write.Parameters.AddWithValue("model", modelVersionId);
        await using var reader = await write.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), (int)reader.GetInt64(1));
    }

    /// <summary>
    /// The registry's entry for an outside model's version, made on its first accepted batch. Imports that make the same
    /// new version at once wait for each other on an advisory lock (held to the end of the transaction) so that it is
    /// made once and numbers do not collide; later batches find it without the lock.
    /// </summary>
    private static async Task<int> ExternalModelAsync(NpgsqlConnection connection, string model, string version, int taxonomyVersionId,
        CancellationToken cancellationToken)
    {
        async Task<int?> FindAsync()
        {
            await using var find = new NpgsqlCommand(
                "SELECT id FROM model_versions WHERE kind = @kind AND name = @name AND version_label = @version ORDER BY id LIMIT 1", connection);
            find.Parameters.AddWithValue("kind", (short)ModelKind.External);
            find.Parameters.AddWithValue("name", model);
            find.Parameters.AddWithValue("version", version);
            return (int?)await find.ExecuteScalarAsync(cancellationToken);
        }

        if (await FindAsync() is { } existing) return existing;
        await using (var wait = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('external model ' || @name))", connection))
        {
            wait.Parameters.AddWithValue("name", model);
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }
        if (await FindAsync() is { } madeMeanwhile) return madeMeanwhile;
        await using var create = new NpgsqlCommand("""
            INSERT INTO model_versions (kind, name, version_label, number, taxonomy_version_id, status)
            SELECT @kind, @name, @version, coalesce(max(number), 0) + 1, @taxonomy, @candidate FROM model_versions WHERE kind = @kind AND name = @name
            RETURNING id
            """, connection);
        create.Parameters.AddWithValue("kind", (short)ModelKind.External);
        create.Parameters.AddWithValue("name", model);
        create.Parameters.AddWithValue("version", version);
        create.Parameters.AddWithValue("taxonomy", taxonomyVersionId);
        create.Parameters.AddWithValue("candidate", (short)ModelStatus.Candidate);
        return (int)(await create.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async IAsyncEnumerable<(ProposalRow? Row, int Number)> Numbered(IAsyncEnumerable<ProposalRow?> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken)) yield return (row, ++number);
    }
}

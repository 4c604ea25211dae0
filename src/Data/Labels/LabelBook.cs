using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Data.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Data.Labels;

/// <summary>A decision saved: the label's new revision (null for decisions that change no label, such as a gold answer).</summary>
public sealed record SavedDecision(long DecisionId, int? Revision);

/// <summary>The item is no longer this annotator's: nothing was written.</summary>
public sealed class LeaseLostException(long taskId)
    : Exception($"Your claim on item {taskId} has expired or was taken over by another annotator, so nothing was saved. The next item is loaded instead.");

/// <summary>Someone changed the label since it was shown: nothing was written, and the new value is reported.</summary>
public sealed class LabelChangedException(int attributeId, int[] currentValues, int currentRevision)
    : Exception("Another decision changed this label after you opened the item; yours was not saved. The current value is shown.")
{
    public int AttributeId { get; } = attributeId;
    public int[] CurrentValues { get; } = currentValues;
    public int CurrentRevision { get; } = currentRevision;
}

public sealed class InvalidDecisionException(string message) : Exception(message);

/// <summary>
/// Writes review decisions. Every decision is saved at once, in its own transaction, under the annotator's
/// lease and with optimistic concurrency on the label (its revision), and appended to the decision history
/// with who, when, how long and what it replaced. Gold and second-review decisions are recorded but leave the
/// label as it is (they score the annotator and measure agreement); adjudications settle the label.
/// </summary>
public sealed class LabelBook(NpgsqlDataSource dataSource, TaxonomyStore taxonomy, IOptions<ReviewOptions> options)
{
    public async Task<SavedDecision> DecideAsync(Lease lease, Guid user, int attributeId, int[] valueIds, int? expectedRevision, int timeSpentMs,
        CancellationToken cancellationToken)
    {
        await ValidateAsync(attributeId, valueIds, allowEmpty: false, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockLeaseAsync(connection, lease, user, cancellationToken);
        var saved = await WriteAsync(connection, lease, user, attributeId, valueIds, expectedRevision, timeSpentMs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Removes a decided value (undo of the first decision on a label): the label goes back to undecided. On a second
    /// review or a gold check, which change no label, it takes the annotator's answer back and names no revision.
    /// </summary>
    public async Task<SavedDecision> ClearAsync(Lease lease, Guid user, int attributeId, int? expectedRevision, int timeSpentMs, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockLeaseAsync(connection, lease, user, cancellationToken);
        // A clear of nothing would add an empty decision to the append-only history, as if an answer had been taken back.
        if (!await HasAnswerAsync(connection, lease, attributeId, cancellationToken))
        {
            var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
            throw new InvalidDecisionException($"{index.NameOf(attributeId)} has no answer on this item to take back.");
        }
        var saved = await WriteAsync(connection, lease, user, attributeId, [], expectedRevision, timeSpentMs, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    /// <summary>
    /// Whether the item has an answer on the attribute that a clear takes back: its label, where decisions settle labels;
    /// the annotator's own latest answer on a second review or a gold check.
    /// </summary>
    private static async Task<bool> HasAnswerAsync(NpgsqlConnection connection, Lease lease, int attributeId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(lease.Kind is ReviewKind.Review or ReviewKind.Adjudication
            ? "SELECT EXISTS (SELECT 1 FROM labels WHERE image_id = @image AND attribute_id = @attribute)"
            : $"""
              SELECT coalesce((SELECT cardinality(value_ids) > 0 FROM label_decisions
                               WHERE image_id = @image AND attribute_id = @attribute AND review_task_id IN ({AnswersByKey.TasksOfReviewSql("@task")})
                               ORDER BY id DESC LIMIT 1), false)
              """, connection);
        command.Parameters.AddWithValue("image", lease.ImageId);
        command.Parameters.AddWithValue("attribute", attributeId);
        command.Parameters.AddWithValue("task", lease.TaskId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Finishes an item: the proposals the annotator accepted without changing are recorded as their decisions,
    /// the task is done and the image verified (or excluded when flagged). May queue a second review or an
    /// adjudication.
    /// </summary>
    public async Task CompleteAsync(Lease lease, Guid user, IReadOnlyDictionary<int, int[]> accepted, ImageFlags flags, int timeSpentMs,
        CancellationToken cancellationToken)
    {
        foreach (var (attributeId, values) in accepted) await ValidateAsync(attributeId, values, allowEmpty: false, cancellationToken);
        var active = await taxonomy.IntoActiveAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockLeaseAsync(connection, lease, user, cancellationToken);
        await FinishAsync(connection, lease, user, accepted, flags, timeSpentMs, active, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives an item back unfinished (skip): it goes behind the items of equal priority, for someone else; it comes back
    /// to this annotator only when nothing else waits for them. A gold check is this annotator's own task, which nobody
    /// else would claim: it is cancelled, still theirs, so that gold image is not served to them again. So is an item
    /// they took back (<see cref="ReviewQueue.ReopenLastAsync"/>) with nothing changed; one they changed answers on is
    /// completed as it stands (<see cref="SettledTakingBackSql"/>).
    /// </summary>
    public async Task SkipAsync(Lease lease, Guid user, int timeSpentMs, CancellationToken cancellationToken)
    {
        var active = await taxonomy.IntoActiveAsync(cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockLeaseAsync(connection, lease, user, cancellationToken);
        if ((bool)(await ExecuteAsync(connection, $"SELECT EXISTS (SELECT 1 FROM review_tasks t WHERE t.id = @task AND {SettledTakingBackSql("t")})",
                cancellationToken, ("task", lease.TaskId)))!)
            await FinishAsync(connection, lease, user, new Dictionary<int, int[]>(), ImageFlags.None, timeSpentMs, active, cancellationToken);
        else
            await ExecuteAsync(connection, """
                UPDATE review_tasks SET status = CASE WHEN kind = 3 OR reopens IS NOT NULL THEN 2 ELSE 0 END,
                                        leased_by = CASE WHEN kind = 3 OR reopens IS NOT NULL THEN leased_by END, lease_token = NULL, lease_expires_at = NULL, priority = priority + 1,
                                        excluded_user = CASE WHEN kind = 0 THEN @user ELSE excluded_user END
                WHERE id = @task
                """, cancellationToken, ("task", lease.TaskId), ("user", user));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Settles the items whose lease lapsed that nobody else may take. Items taken back (<see cref="ReviewQueue.ReopenLastAsync"/>)
    /// with answers changed on them (an annotator who closed the page instead of pressing Enter) are completed as they stand,
    /// as <see cref="SkipAsync"/> does: their answers are the image's labels already, and completed they count as the
    /// review's too (agreement, the annotator's pace and corrections, an adjudication they now call for). Those with nothing
    /// changed, and gold checks, are cancelled, still their annotator's (so that gold image is not served to them again).
    /// Until then each holds its image's place in the queue (a lead's spot check of it waits).
    /// </summary>
    public async Task<(int Completed, int Cancelled)> SettleLapsedAsync(CancellationToken cancellationToken)
    {
        var active = await taxonomy.IntoActiveAsync(cancellationToken);
        var completed = 0;
        while (await CompleteLapsedTakingBackAsync(active, cancellationToken)) completed++;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var cancel = new NpgsqlCommand($"""
            UPDATE review_tasks t SET status = 2
            WHERE t.status = 0 AND t.lease_expires_at < now() AND (t.kind = {(short)ReviewKind.Gold} OR t.reopens IS NOT NULL) AND NOT ({SettledTakingBackSql("t")})
            """, connection);
        return (completed, await cancel.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>Completes one lapsed item taken back with answers changed on it, locked against a Worker doing the same; false when there is none.</summary>
    private async Task<bool> CompleteLapsedTakingBackAsync(TaxonomyTranslation active, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var find = new NpgsqlCommand($"""
            SELECT t.id, t.image_id, t.lease_token, t.lease_expires_at, t.kind, t.attribute_ids, t.leased_by FROM review_tasks t
            WHERE t.status = 0 AND t.lease_expires_at < now() AND {SettledTakingBackSql("t")}
            LIMIT 1 FOR UPDATE SKIP LOCKED
            """, connection);
        Lease lease;
        Guid user;
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) return false;
            lease = new Lease(reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3), (ReviewKind)reader.GetInt16(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<int[]>(5));
            user = reader.GetGuid(6);
        }
        await FinishAsync(connection, lease, user, new Dictionary<int, int[]>(), ImageFlags.None, 0, active, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether the task <paramref name="alias"/> is an item taken back with an answer given on it. Those answers are saved as
    /// given, so they are the image's labels (or the annotator's answers) whether or not the item is completed; left
    /// unfinished it is completed rather than cancelled, so the review is read with them where reviews are compared and counted.
    /// </summary>
    public static string SettledTakingBackSql(string alias) =>
        $"{alias}.reopens IS NOT NULL AND EXISTS (SELECT 1 FROM label_decisions d WHERE d.image_id = {alias}.image_id AND d.review_task_id = {alias}.id)";

    /// <summary>Records the accepted proposals, completes the task and follows it up (a second review, an adjudication), on a locked lease.</summary>
    private async Task FinishAsync(NpgsqlConnection connection, Lease lease, Guid user, IReadOnlyDictionary<int, int[]> accepted, ImageFlags flags, int timeSpentMs,
        TaxonomyTranslation active, CancellationToken cancellationToken)
    {
        // The time is shared among the proposals accepted now; with none left to accept (every answer given one by one, as
        // a tool that times whole items reports it), no decision carries it: the task keeps it, and the annotator's pace counts it.
        var (share, unheld) = accepted.Count == 0 ? (0, Math.Max(0, timeSpentMs)) : (timeSpentMs / accepted.Count, 0);
        foreach (var (attributeId, values) in accepted)
        {
            var current = await CurrentAsync(connection, lease.ImageId, attributeId, cancellationToken);
            await WriteAsync(connection, lease, user, attributeId, values, current?.Revision, share, cancellationToken);
        }

        var reopened = (bool)(await ExecuteAsync(connection, """
            UPDATE review_tasks SET status = 1, completed_by = @user, completed_at = now(), leased_by = NULL, lease_token = NULL, lease_expires_at = NULL,
                completion_time_ms = @unheld
            WHERE id = @task
            RETURNING reopens IS NOT NULL
            """, cancellationToken, ("user", user), ("task", lease.TaskId), ("unheld", unheld)))!;
        await ReviewTallies.AddCompletedAsync(connection, lease, user, active, cancellationToken);
        if (flags != ImageFlags.None)
            await ExecuteAsync(connection, "UPDATE images SET flags = flags | @flags, status = @excluded, updated_at = now() WHERE id = @image",
                cancellationToken, ("flags", (short)flags), ("excluded", (short)ImageStatus.Excluded), ("image", lease.ImageId));
        else if (lease.Kind is ReviewKind.Review or ReviewKind.Adjudication)
            await ExecuteAsync(connection, "UPDATE images SET status = @verified, updated_at = now() WHERE id = @image AND status <> @excluded",
                cancellationToken, ("verified", (short)ImageStatus.Verified), ("excluded", (short)ImageStatus.Excluded), ("image", lease.ImageId));

        if (flags == ImageFlags.None) await FollowUpAsync(connection, lease, user, reopened, active, cancellationToken);
        PlatformMeter.ReviewedItems.Add(1, new KeyValuePair<string, object?>("kind", lease.Kind.ToString()));
    }

    /// <summary>
    /// After a first review, a share of items goes to a second annotator; a second review that disagrees goes to a data
    /// lead. An item its annotator took back (<paramref name="reopened"/>) was sampled when they first completed it; its
    /// changed answers go to a data lead if they now disagree with the other review, and no longer do (unless a lead
    /// holds it already) if they now agree.
    /// </summary>
    private async Task FollowUpAsync(NpgsqlConnection connection, Lease lease, Guid user, bool reopened, TaxonomyTranslation active,
        CancellationToken cancellationToken)
    {
        if (lease.Kind == ReviewKind.Review && !reopened && StableShare(lease.ImageId) < options.Value.DoubleReviewShare)
            await ExecuteAsync(connection, """
                INSERT INTO review_tasks (image_id, kind, priority, status, excluded_user, attribute_ids, created_at)
                SELECT @image, 1, 0, 0, @user, attribute_ids, now() FROM review_tasks WHERE id = @task
                ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO NOTHING
                """, cancellationToken, ("image", lease.ImageId), ("user", user), ("task", lease.TaskId));
        // A first review is compared with a second once it has one: when the second completes, or when the first is taken back.
        var comparesReviews = lease.Kind == ReviewKind.DoubleReview || lease.Kind == ReviewKind.Review && reopened;
        if (!comparesReviews) return;
        if (await DisagreesAsync(connection, lease, active, cancellationToken))
            await ExecuteAsync(connection, """
                INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, 2, 0, 0, now())
                ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO NOTHING
                """, cancellationToken, ("image", lease.ImageId));
        else if (reopened)
            await ExecuteAsync(connection, """
                UPDATE review_tasks SET status = 2
                WHERE image_id = @image AND kind = 2 AND status = 0 AND (lease_expires_at IS NULL OR lease_expires_at < now())
                """, cancellationToken, ("image", lease.ImageId));
    }

    /// <summary>Whether the second annotator's final values differ from the first's on any attribute both decided (by key: a taxonomy change may fall between them).</summary>
    private static async Task<bool> DisagreesAsync(NpgsqlConnection connection, Lease lease, TaxonomyTranslation active, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            WITH finals AS ({AnswersByKey.FinalsSql("t.image_id = @image AND t.kind IN (0, 1) AND (t.status = 1 OR t.id = @task)")})
            SELECT EXISTS (
                SELECT 1 FROM finals a JOIN finals b ON a.attribute_id = b.attribute_id AND a.review_task_id < b.review_task_id
                WHERE a.value_ids <> b.value_ids AND cardinality(a.value_ids) > 0 AND cardinality(b.value_ids) > 0)
            """, connection);
        command.Parameters.AddWithValue("image", lease.ImageId);
        command.Parameters.AddWithValue("task", lease.TaskId);
        active.AddLookups(command.Parameters);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<SavedDecision> WriteAsync(NpgsqlConnection connection, Lease lease, Guid user, int attributeId, int[] valueIds,
        int? expectedRevision, int timeSpentMs, CancellationToken cancellationToken)
    {
        var current = await CurrentAsync(connection, lease.ImageId, attributeId, cancellationToken, forUpdate: true);
        int? revision = null;
        if (lease.Kind is ReviewKind.Review or ReviewKind.Adjudication)
        {
            if (current?.Revision != expectedRevision)
                throw new LabelChangedException(attributeId, current?.ValueIds ?? [], current?.Revision ?? 0);
            revision = await StoreLabelAsync(connection, lease, user, attributeId, valueIds, current, cancellationToken);
        }

        var source = lease.Kind == ReviewKind.Adjudication ? LabelSource.Adjudicated : LabelSource.Human;
        PlatformMeter.ReviewedLabels.Add(1);
        await using var insert = new NpgsqlCommand("""
            WITH decision AS (
                INSERT INTO label_decisions (image_id, attribute_id, value_ids, previous_value_ids, source, user_id, decided_at, time_spent_ms, review_task_id)
                VALUES (@image, @attribute, @values, @previous, @source, @user, now(), @time, @task)
                RETURNING id),
            tally AS (
                INSERT INTO annotator_tallies (user_id, decisions, time_spent_ms, items, proposed, changed, gold_answers, gold_correct)
                VALUES (@user, 1, @time, 0, 0, 0, 0, 0)
                ON CONFLICT (user_id) DO UPDATE
                    SET decisions = annotator_tallies.decisions + 1, time_spent_ms = annotator_tallies.time_spent_ms + excluded.time_spent_ms)
            SELECT id FROM decision
            """, connection);
        insert.Parameters.AddWithValue("image", lease.ImageId);
        insert.Parameters.AddWithValue("attribute", attributeId);
        insert.Parameters.AddWithValue("values", valueIds);
        insert.Parameters.AddWithValue("previous", (object?)current?.ValueIds ?? DBNull.Value);
        insert.Parameters.AddWithValue("source", (short)source);
        insert.Parameters.AddWithValue("user", user);
        insert.Parameters.AddWithValue("time", Math.Max(0, timeSpentMs));
        insert.Parameters.AddWithValue("task", lease.TaskId);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
        return new SavedDecision(id, revision);
    }

    private static async Task<int?> StoreLabelAsync(NpgsqlConnection connection, Lease lease, Guid user, int attributeId, int[] valueIds,
        (int[] ValueIds, int Revision)? current, CancellationToken cancellationToken)
    {
        if (valueIds.Length == 0)
        {
            await ExecuteAsync(connection, "DELETE FROM labels WHERE image_id = @image AND attribute_id = @attribute", cancellationToken,
                ("image", lease.ImageId), ("attribute", attributeId));
            return null;
        }
        var source = lease.Kind == ReviewKind.Adjudication ? LabelSource.Adjudicated : LabelSource.Human;
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_by, decided_at, revision)
            VALUES (@image, @attribute, @values, @source, @user, now(), 1)
            ON CONFLICT (image_id, attribute_id) DO UPDATE
                SET value_ids = excluded.value_ids, source = excluded.source, decided_by = excluded.decided_by, decided_at = now(),
                    confidence = NULL, model_version_id = NULL, revision = labels.revision + 1
            RETURNING revision
            """, connection);
        upsert.Parameters.AddWithValue("image", lease.ImageId);
        upsert.Parameters.AddWithValue("attribute", attributeId);
        upsert.Parameters.AddWithValue("values", valueIds);
        upsert.Parameters.AddWithValue("source", (short)source);
        upsert.Parameters.AddWithValue("user", user);
        return (int)(await upsert.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<(int[] ValueIds, int Revision)?> CurrentAsync(NpgsqlConnection connection, long imageId, int attributeId,
        CancellationToken cancellationToken, bool forUpdate = false)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT value_ids, revision FROM labels WHERE image_id = @image AND attribute_id = @attribute{(forUpdate ? " FOR UPDATE" : "")}", connection);
        command.Parameters.AddWithValue("image", imageId);
        command.Parameters.AddWithValue("attribute", attributeId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetFieldValue<int[]>(0), reader.GetInt32(1)) : null;
    }

    /// <summary>Holds the task row for this transaction, and proves the lease is still the annotator's.</summary>
    private static async Task LockLeaseAsync(NpgsqlConnection connection, Lease lease, Guid user, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT 1 FROM review_tasks
            WHERE id = @task AND lease_token = @token AND leased_by = @user AND status = 0 AND lease_expires_at > now()
            FOR UPDATE
            """, connection);
        command.Parameters.AddWithValue("task", lease.TaskId);
        command.Parameters.AddWithValue("token", lease.Token);
        command.Parameters.AddWithValue("user", user);
        if (await command.ExecuteScalarAsync(cancellationToken) is null) throw new LeaseLostException(lease.TaskId);
    }

    private async Task ValidateAsync(int attributeId, int[] valueIds, bool allowEmpty, CancellationToken cancellationToken)
    {
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        var attribute = index.Find(attributeId) ?? throw new InvalidDecisionException($"Attribute {attributeId} is not in the active taxonomy.");
        if (valueIds.Length == 0 && !allowEmpty) throw new InvalidDecisionException($"Choose a value for {index.KeyOf(attributeId)}.");
        if (attribute.Kind == AttributeKind.SingleChoice && valueIds.Length > 1)
            throw new InvalidDecisionException($"{index.KeyOf(attributeId)} takes one value; {valueIds.Length} were given.");
        foreach (var value in valueIds.Where(v => attribute.Values.All(known => known.Id != v)))
            throw new InvalidDecisionException($"Value {value} is not in the vocabulary of {index.KeyOf(attributeId)}.");
    }

    /// <summary>A stable pseudo-random share per image: the same image always falls on the same side of the threshold.</summary>
    private static double StableShare(long imageId) => (ulong)(imageId * 2654435761L) % 1000 / 1000.0;

    /// <returns>The first column of the first row the statement returns, if any.</returns>
    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}

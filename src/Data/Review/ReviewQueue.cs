using System.Diagnostics;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Review;

/// <summary>An annotator's claim on one item: valid until <see cref="ExpiresAt"/>, proven by <see cref="Token"/>.</summary>
public sealed record Lease(long TaskId, long ImageId, Guid Token, DateTimeOffset ExpiresAt, ReviewKind Kind, int[]? AttributeIds);

/// <summary>
/// The review queue. A claim takes the open task of lowest priority with <c>FOR UPDATE SKIP LOCKED</c>, so any
/// number of annotators claim at once without waiting on each other or ever getting the same item; an item
/// whose lease expired is claimable again. An annotator who reloads the page gets their own item back.
/// </summary>
public sealed class ReviewQueue(NpgsqlDataSource dataSource, IOptions<ReviewOptions> options)
{
    private const string Returning = "RETURNING t.id, t.image_id, t.lease_token, t.lease_expires_at, t.kind, t.attribute_ids";

    public async Task<Lease?> ClaimNextAsync(Guid user, IReadOnlyCollection<ReviewKind> kinds, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var lease = await ClaimAsync(user, kinds, cancellationToken);
        PlatformMeter.ClaimDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("found", lease is not null));
        return lease;
    }

    private async Task<Lease?> ClaimAsync(Guid user, IReadOnlyCollection<ReviewKind> kinds, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Gold checks come unannounced among first reviews, so one the annotator holds is resumed as those are: served
        // something else on coming back, they could tell a check from a review.
        var resumable = (kinds.Contains(ReviewKind.Review) ? kinds.Append(ReviewKind.Gold) : kinds).Select(k => (short)k).Distinct().ToArray();
        Lease? lease = null;
        if (kinds.Contains(ReviewKind.Review) && Random.Shared.NextDouble() < options.Value.GoldShare)
            lease = await ResumeOrClaimAsync(connection, user, resumable, claimKind: null, cancellationToken)
                ?? await ClaimGoldAsync(connection, user, cancellationToken);
        // One kind at a time, second reviews first: a single-kind query walks the (kind, priority, id) index in
        // order and stops at the first free row, however long the queue. The first query also resumes the
        // annotator's own live lease, so the usual claim is a single round trip.
        var first = true;
        foreach (var kind in ClaimOrder.Where(kinds.Contains))
        {
            lease ??= await ResumeOrClaimAsync(connection, user, first ? resumable : [], kind, cancellationToken);
            first = false;
        }
        // A skip passes an item to someone else, but where nobody else takes it (a team of one, or everyone skipped it)
        // it comes back to its annotator once nothing else waits for them, instead of waiting in the queue forever.
        // Only first reviews: a second review stays barred to the first reviewer.
        if (lease is null && kinds.Contains(ReviewKind.Review))
            lease = await ResumeOrClaimAsync(connection, user, [], ReviewKind.Review, cancellationToken, skippedToo: true);
        return lease;
    }

    private static readonly ReviewKind[] ClaimOrder = [ReviewKind.Adjudication, ReviewKind.DoubleReview, ReviewKind.Review];

    /// <summary>Keeps a lease alive while its annotator works; null when it was lost.</summary>
    public Task<Lease?> RenewAsync(Lease lease, Guid user, CancellationToken cancellationToken) => RenewAsync(lease.TaskId, lease.Token, user, cancellationToken);

    /// <summary>
    /// The annotator's live lease on a task, named by its id and token as an HTTP client holds it, renewed; null when
    /// it was lost (expired, given back, completed, or never theirs).
    /// </summary>
    public async Task<Lease?> RenewAsync(long taskId, Guid token, Guid user, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE review_tasks t SET lease_expires_at = now() + @lease
            WHERE t.id = @task AND t.lease_token = @token AND t.leased_by = @user AND t.status = 0 AND t.lease_expires_at > now()
            {Returning}
            """);
        command.Parameters.AddWithValue("lease", options.Value.LeaseDuration);
        command.Parameters.AddWithValue("task", taskId);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("user", user);
        return await ReadLeaseAsync(command, cancellationToken);
    }

    /// <summary>
    /// How many first and second reviews this annotator could claim now, counted up to <paramref name="atMost"/> (the open
    /// queue can hold millions): not held by someone else, and no second review of an image they reviewed first. Items
    /// they skipped count, since those come back to them once nothing else waits.
    /// </summary>
    public async Task<int> OpenToAsync(Guid user, int atMost, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FROM (
                SELECT 1 FROM review_tasks
                WHERE status = 0 AND kind IN (0, 1)
                  AND (lease_expires_at IS NULL OR lease_expires_at < now() OR leased_by = @user)
                  AND (reopens IS NULL OR leased_by = @user)
                  AND (kind = 0 OR excluded_user IS NULL OR excluded_user <> @user)
                LIMIT @atMost) open
            """);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("atMost", atMost);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Whether a review task of this id exists, open or done.</summary>
    public async Task<bool> ExistsAsync(long taskId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM review_tasks WHERE id = @task)");
        command.Parameters.AddWithValue("task", taskId);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>How long after completing an item its annotator may still take it back (<see cref="ReopenLastAsync"/>).</summary>
    public static readonly TimeSpan ReopenWindow = TimeSpan.FromMinutes(10);

    /// <summary>Why <see cref="ReopenLastAsync"/> found nothing, as the page and the API say it.</summary>
    public static readonly string NothingToReopen =
        $"Nothing to go back to: the last item you completed comes back within {ReopenWindow.TotalMinutes:0} minutes, unless you flagged it or it is waiting for someone's review.";

    /// <summary>
    /// The item this annotator completed last, within <see cref="ReopenWindow"/>, as a new item of the same kind leased to
    /// them (an Enter pressed too soon): the same attributes, their answers shown, for them to change (on a second review
    /// or a gold check, as there, their own answers and not the labels). It belongs to no round (the round's own review is
    /// done) and hides the proposals the review hid; what they change on a first review becomes the image's labels, which
    /// the round's figures and routing's evidence read. The item they were on keeps its lease and is served again next.
    /// Completed, it is the same review (<see cref="AnswersByKey.FinalsSql"/>). Skipped or left to lapse, it is completed as
    /// it stands if they changed an answer (each answer is saved as given, <see cref="LabelBook.SettledTakingBackSql"/>),
    /// cancelled otherwise; nobody else reviews the image again. Null when
    /// there is none, when it was an adjudication (not on this page), when the image was flagged, or when it is waiting
    /// for someone's review already.
    /// </summary>
    public async Task<Lease?> ReopenLastAsync(Guid user, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH last AS (
                SELECT {AnswersByKey.ReviewOf("review_tasks")} AS review, image_id, kind, attribute_ids FROM review_tasks
                WHERE completed_by = @user AND completed_at > now() - @window AND status = 1
                ORDER BY completed_at DESC LIMIT 1)
            INSERT INTO review_tasks AS t (image_id, kind, priority, status, attribute_ids, leased_by, lease_token, lease_expires_at, reopens, created_at)
            SELECT l.image_id, l.kind, 0, 0, l.attribute_ids, @user, gen_random_uuid(), now() + @lease, l.review, now()
            FROM last l JOIN images i ON i.id = l.image_id
            -- A gold check leaves its image as it was (a gold image may never have been verified by a review).
            WHERE l.kind <> {(short)ReviewKind.Adjudication} AND (i.status = @verified OR l.kind = {(short)ReviewKind.Gold} AND i.status <> @excluded)
            ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO NOTHING
            {Returning}
            """);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("window", ReopenWindow);
        command.Parameters.AddWithValue("lease", options.Value.LeaseDuration);
        command.Parameters.AddWithValue("verified", (short)ImageStatus.Verified);
        command.Parameters.AddWithValue("excluded", (short)ImageStatus.Excluded);
        return await ReadLeaseAsync(command, cancellationToken);
    }

    /// <summary>
    /// In one statement: renew the annotator's own live lease among <paramref name="resumeKinds"/> if there is
    /// one, otherwise lease the open task of <paramref name="claimKind"/> with the lowest priority. Items taken back
    /// (<see cref="ReopenLastAsync"/>) are never served to anyone else; Workers settle those whose lease lapsed
    /// (<see cref="LabelBook.SettleLapsedAsync"/>).
    /// </summary>
    private async Task<Lease?> ResumeOrClaimAsync(NpgsqlConnection connection, Guid user, short[] resumeKinds, ReviewKind? claimKind,
        CancellationToken cancellationToken, bool skippedToo = false)
    {
        await using var command = new NpgsqlCommand("""
            WITH mine AS (
                UPDATE review_tasks t SET lease_expires_at = now() + @lease
                WHERE t.id = (SELECT id FROM review_tasks WHERE leased_by = @user AND status = 0 AND lease_expires_at > now() AND kind = ANY(@resume)
                              ORDER BY lease_expires_at DESC LIMIT 1)
                RETURNING t.id, t.image_id, t.lease_token, t.lease_expires_at, t.kind, t.attribute_ids),
            next AS (
                SELECT id FROM review_tasks
                WHERE @claim >= 0 AND NOT EXISTS (SELECT 1 FROM mine)
                  AND status = 0 AND kind = @claim AND reopens IS NULL
                  AND (lease_expires_at IS NULL OR lease_expires_at < now())
                  AND (excluded_user IS NULL OR excluded_user <> @user OR @skippedToo)
                ORDER BY priority, id
                LIMIT 1
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE review_tasks t SET leased_by = @user, lease_token = gen_random_uuid(), lease_expires_at = now() + @lease
                FROM next WHERE t.id = next.id
                RETURNING t.id, t.image_id, t.lease_token, t.lease_expires_at, t.kind, t.attribute_ids)
            SELECT * FROM mine UNION ALL SELECT * FROM claimed
            """, connection);
        command.Parameters.AddWithValue("lease", options.Value.LeaseDuration);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("resume", resumeKinds);
        command.Parameters.AddWithValue("claim", claimKind is { } kind ? (short)kind : (short)-1);
        command.Parameters.AddWithValue("skippedToo", skippedToo);
        // Prepared (once per pooled connection): it runs for every item, and planning it costs more than running it.
        await command.PrepareAsync(cancellationToken);
        return await ReadLeaseAsync(command, cancellationToken);
    }

    /// <summary>
    /// A gold image this annotator has never answered, as a task of their own (served like any other item). Never one
    /// whose labels they gave: its answers are likely theirs, and checking them against themselves measures nothing.
    /// Their earlier checks left to lapse stay theirs when Workers cancel them (<see cref="LabelBook.SettleLapsedAsync"/>),
    /// so those images are not served to them again either.
    /// </summary>
    private async Task<Lease?> ClaimGoldAsync(NpgsqlConnection connection, Guid user, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO review_tasks AS t (image_id, kind, priority, status, leased_by, lease_token, lease_expires_at, created_at)
            SELECT i.id, 3, 0, 0, @user, gen_random_uuid(), now() + @lease, now()
            FROM images i
            WHERE i.is_gold AND NOT EXISTS (SELECT 1 FROM review_tasks g WHERE g.image_id = i.id AND g.kind = 3 AND (g.leased_by = @user OR g.completed_by = @user))
              AND NOT EXISTS (SELECT 1 FROM label_decisions d WHERE d.image_id = i.id AND d.user_id = @user)
            ORDER BY random()
            LIMIT 1
            {Returning}
            """, connection);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("lease", options.Value.LeaseDuration);
        return await ReadLeaseAsync(command, cancellationToken);
    }

    private static async Task<Lease?> ReadLeaseAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new Lease(reader.GetInt64(0), reader.GetInt64(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3),
            (ReviewKind)reader.GetInt16(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<int[]>(5));
    }
}

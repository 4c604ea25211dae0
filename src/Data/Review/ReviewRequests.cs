using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using Npgsql;

namespace AnnotateAnyone.Data.Review;

/// <param name="Sent">Images that now wait for a person.</param>
/// <param name="AlreadyWaiting">Images that were waiting for one already (their task is left as it was).</param>
public sealed record SentToReview(IReadOnlyList<long> Sent, IReadOnlyList<long> AlreadyWaiting);

/// <summary>
/// A data lead sends images back to people: labels a spot check doubts (the AI's accepted answers of a value, say)
/// are reviewed whole and ahead of the queue. The task belongs to no round, so its answers, chosen by the lead and not
/// at random, never count as the routing's audit evidence or a round's measured accuracy.
/// </summary>
public sealed class ReviewRequests(NpgsqlDataSource dataSource, AuditTrail audit)
{
    public const int MaxImages = 500;

    /// <summary>A missing or refused image refuses the whole request (<see cref="ArgumentException"/>), and nothing is sent.</summary>
    public async Task<SentToReview> SendAsync(IReadOnlyCollection<long> images, Guid lead, CancellationToken cancellationToken)
    {
        var wanted = images.Distinct().ToArray();
        if (wanted.Length is 0 or > MaxImages) throw new ArgumentException($"Send 1 to {MaxImages} images to review at a time.");

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var statuses = new Dictionary<long, ImageStatus>();
        await using (var find = new NpgsqlCommand("SELECT id, status FROM images WHERE id = ANY (@images) FOR SHARE", connection, transaction))
        {
            find.Parameters.AddWithValue("images", wanted);
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) statuses[reader.GetInt64(0)] = (ImageStatus)reader.GetInt16(1);
        }
        if (wanted.Where(id => !statuses.ContainsKey(id)).ToList() is [_, ..] missing)
            throw new ArgumentException($"No image has the id {string.Join(", ", missing)}: nothing was sent.");
        if (wanted.Where(id => statuses[id] == ImageStatus.Rejected).ToList() is [_, ..] rejected)
            throw new ArgumentException($"Image {string.Join(", ", rejected)} was refused at ingest and cannot be reviewed: nothing was sent.");

        // Priority 0 serves them before every routed image (whose priority is its lowest AI confidence).
        var sent = new List<long>();
        await using (var add = new NpgsqlCommand("""
            INSERT INTO review_tasks (image_id, kind, priority, status, created_at)
            SELECT id, 0, 0, 0, now() FROM unnest(@images) AS w(id)
            ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3 DO NOTHING
            RETURNING image_id
            """, connection, transaction))
        {
            add.Parameters.AddWithValue("images", wanted);
            await using var reader = await add.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) sent.Add(reader.GetInt64(0));
        }
        await transaction.CommitAsync(cancellationToken);

        foreach (var image in sent) await audit.RecordAsync(lead.ToString(), "review.requested", "image", image.ToString(), null, cancellationToken);
        sent.Sort();
        return new SentToReview(sent, [.. wanted.Except(sent).Order()]);
    }
}

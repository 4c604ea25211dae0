using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using Npgsql;

namespace AnnotateAnyone.Data.Review;

/// <summary>Gold items: images whose answers a data lead vouches for, served to annotators to measure them.</summary>
public sealed class GoldBook(NpgsqlDataSource dataSource, ImageLookup images, AuditTrail audit)
{
    /// <summary>Why an image without a label from people cannot be gold, as the page and the API say it.</summary>
    public static string NoLabels(long imageId) => $"Image {imageId} has no labels from people yet: review it first, then make it gold.";

    /// <summary>
    /// Makes an image gold with its current labels from people (an annotator's, an import's, a ruling) as the answers;
    /// false when it has none yet (<see cref="NoLabels"/>). Labels the routing accepted from the AI unseen are left out: annotators
    /// are measured against gold, and an AI answer nobody checked would count their corrections of it as mistakes.
    /// An image that does not exist throws <see cref="KeyNotFoundException"/>.
    /// </summary>
    public async Task<bool> MarkAsync(long imageId, Guid lead, CancellationToken cancellationToken)
    {
        await ThrowIfMissingAsync(imageId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var copy = new NpgsqlCommand("""
            DELETE FROM gold_answers WHERE image_id = @image;
            INSERT INTO gold_answers (image_id, attribute_id, value_ids, set_by, set_at)
            SELECT image_id, attribute_id, value_ids, @lead, now() FROM labels WHERE image_id = @image AND source <> @aiAccepted;
            """, connection);
        copy.Parameters.AddWithValue("image", imageId);
        copy.Parameters.AddWithValue("lead", lead);
        copy.Parameters.AddWithValue("aiAccepted", (short)LabelSource.AiAccepted);
        var answers = await copy.ExecuteNonQueryAsync(cancellationToken);
        if (answers == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }
        await using (var mark = new NpgsqlCommand("UPDATE images SET is_gold = true, updated_at = now() WHERE id = @image", connection))
        {
            mark.Parameters.AddWithValue("image", imageId);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        await audit.RecordAsync(lead.ToString(), "gold.marked", "image", imageId.ToString(), null, cancellationToken);
        return true;
    }

    /// <summary>
    /// An image that does not exist throws <see cref="KeyNotFoundException"/>; one that is not gold is left as it is.
    /// Either leaves no audit entry: the trail records what changed, not every call.
    /// </summary>
    public async Task UnmarkAsync(long imageId, Guid lead, CancellationToken cancellationToken)
    {
        await ThrowIfMissingAsync(imageId, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            WITH unmarked AS (UPDATE images SET is_gold = false, updated_at = now() WHERE id = @image AND is_gold RETURNING id),
                 answers AS (DELETE FROM gold_answers WHERE image_id = @image),
                 checks AS (UPDATE review_tasks SET status = 2 WHERE image_id = @image AND kind = 3 AND status = 0)
            SELECT count(*) FROM unmarked
            """, connection);
        command.Parameters.AddWithValue("image", imageId);
        if ((long)(await command.ExecuteScalarAsync(cancellationToken))! == 0) return;
        await audit.RecordAsync(lead.ToString(), "gold.unmarked", "image", imageId.ToString(), null, cancellationToken);
    }

    private async Task ThrowIfMissingAsync(long imageId, CancellationToken cancellationToken)
    {
        if (!await images.ExistsAsync(imageId, cancellationToken)) throw new KeyNotFoundException($"Image {imageId} does not exist.");
    }

    public async Task<IReadOnlyList<(long ImageId, int Answers, int Checks)>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.id, (SELECT count(*) FROM gold_answers a WHERE a.image_id = i.id),
                   (SELECT count(*) FROM review_tasks t WHERE t.image_id = i.id AND t.kind = 3 AND t.status = 1)
            FROM images i WHERE i.is_gold ORDER BY i.id
            """);
        var gold = new List<(long, int, int)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) gold.Add((reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2)));
        return gold;
    }
}

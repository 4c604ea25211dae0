using Npgsql;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

/// <summary>
/// Does what annotators do in the workspace, straight in the database and without mistakes: every open review
/// task gets the generator's ground truth for the attributes routed to it, as human labels and decisions, and is
/// done. (The workspace itself is driven key by key in the review browser tests, and the HTTP review API by <see cref="HttpAnnotator"/>.)
/// </summary>
public static class SimulatedAnnotator
{
    public static async Task<int> ReviewEverythingAsync(TestDatabase database, Guid annotator)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""
            CREATE TEMP TABLE chosen ON COMMIT DROP AS
            SELECT id FROM review_tasks WHERE kind = 0 AND status = 0;
            CREATE TEMP TABLE answered ON COMMIT DROP AS
            SELECT t.id AS task_id, t.image_id, g.attribute_id, g.value_ids, t.round_id
            FROM review_tasks t JOIN chosen c ON c.id = t.id JOIN ground_truth_labels g ON g.image_id = t.image_id
            WHERE t.attribute_ids IS NULL OR g.attribute_id = ANY (t.attribute_ids);

            INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_by, decided_at, revision)
            SELECT image_id, attribute_id, value_ids, 2, @user, now(), 1 FROM answered
            ON CONFLICT (image_id, attribute_id) DO UPDATE SET value_ids = excluded.value_ids, source = 2, decided_by = @user, revision = labels.revision + 1;
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms, review_task_id, round_id)
            SELECT image_id, attribute_id, value_ids, 2, @user, now(), 1500, task_id, round_id FROM answered;
            UPDATE images SET status = 3, updated_at = now() WHERE id IN (SELECT image_id FROM review_tasks WHERE id IN (SELECT id FROM chosen));
            UPDATE review_tasks SET status = 1, completed_by = @user, completed_at = now() WHERE id IN (SELECT id FROM chosen);
            """, connection);
        command.Parameters.AddWithValue("user", annotator);
        var changed = await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return changed;
    }

    public static async Task<Guid> UserIdAsync(TestDatabase database, string email)
    {
        await using var command = database.DataSource.CreateCommand("SELECT id FROM users WHERE normalized_email = upper(@email)");
        command.Parameters.AddWithValue("email", email);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }
}

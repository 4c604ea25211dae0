using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// What a completed item adds to the running statistics of the Quality page, written in the item's own transaction
/// so that they never disagree with the decisions: its annotator's tally (<see cref="AnnotatorTally"/>) and, for a
/// review of a double-reviewed image, the agreement unit counts (<see cref="AgreementUnitCount"/>). Each decision
/// adds itself to the annotator's count and time as it is saved (LabelBook). The item's decisions are found through
/// its image: label_decisions is indexed by image, not by task.
/// </summary>
internal static class ReviewTallies
{
    /// <param name="active">Every version's answers in the active version's terms: gold answers and proposals are compared by key.</param>
    public static async Task AddCompletedAsync(NpgsqlConnection connection, Lease lease, Guid user, TaxonomyTranslation active, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(AnnotatorSql, lease, user, active));
        if (lease.Kind is ReviewKind.Review or ReviewKind.DoubleReview)
        {
            // Two reviews of one image completing at once each see the image's units as the other left them.
            batch.BatchCommands.Add(Command("SELECT 1 FROM images WHERE id = @image FOR UPDATE", lease, user, lookups: null));
            batch.BatchCommands.Add(Command(AgreementSql, lease, user, active));
        }
        // Prepared (once per pooled connection): it runs for every item, and planning these statements costs several
        // times more than running them.
        await batch.PrepareAsync(cancellationToken);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <param name="lookups">The translation the statement reads answers through; null for one that reads none.</param>
    private static NpgsqlBatchCommand Command(string sql, Lease lease, Guid user, TaxonomyTranslation? lookups)
    {
        var command = new NpgsqlBatchCommand(sql)
        {
            Parameters = { new("user", user), new("image", lease.ImageId), new("task", lease.TaskId), new("kind", (short)lease.Kind) },
        };
        lookups?.AddLookups(command.Parameters);
        return command;
    }

    /// <summary>
    /// One more item, with the time its completion reported that no decision holds; for a review, how many of its
    /// final values had an AI proposal and how many of those the annotator changed; for a gold item, how many answers
    /// matched the known ones. An item taken back and completed again adds its time, not another item, and replaces the
    /// review's figures: they are counted as the review's answers stand now, less as they stood before it.
    /// </summary>
    private static readonly string AnnotatorSql = $"""
        WITH task AS (SELECT reopens IS NULL AS is_new, completion_time_ms FROM review_tasks WHERE id = @task),
        finals AS (
            SELECT 1 AS sign, * FROM ({AnswersByKey.FinalsSql($"t.id IN ({AnswersByKey.TasksOfReviewSql("@task")})")}) answers_now
            UNION ALL
            SELECT -1, * FROM ({AnswersByKey.FinalsSql($"t.id IN ({AnswersByKey.TasksOfReviewSql("@task")}) AND t.id <> @task")}) answers_before),
        proposals AS ({AnswersByKey.ProposalsSql("p.image_id = @image")}),
        gold AS ({AnswersByKey.GoldSql("g.image_id = @image")}),
        scored AS (
            SELECT coalesce(sum(sign) FILTER (WHERE @kind IN (0, 1) AND p.value_ids IS NOT NULL), 0) AS proposed,
                   coalesce(sum(sign) FILTER (WHERE @kind IN (0, 1) AND p.value_ids <> f.value_ids), 0) AS changed,
                   coalesce(sum(sign) FILTER (WHERE @kind = 3 AND g.value_ids IS NOT NULL), 0) AS gold_answers,
                   coalesce(sum(sign) FILTER (WHERE @kind = 3 AND g.value_ids = f.value_ids), 0) AS gold_correct
            FROM finals f
            LEFT JOIN proposals p ON p.attribute_id = f.attribute_id
            LEFT JOIN gold g ON g.attribute_id = f.attribute_id)
        INSERT INTO annotator_tallies (user_id, decisions, time_spent_ms, items, proposed, changed, gold_answers, gold_correct)
        SELECT @user, 0, task.completion_time_ms, CASE WHEN task.is_new THEN 1 ELSE 0 END, proposed, changed, gold_answers, gold_correct FROM task, scored
        ON CONFLICT (user_id) DO UPDATE
            SET items = annotator_tallies.items + excluded.items, time_spent_ms = annotator_tallies.time_spent_ms + excluded.time_spent_ms, proposed = annotator_tallies.proposed + excluded.proposed,
                changed = annotator_tallies.changed + excluded.changed, gold_answers = annotator_tallies.gold_answers + excluded.gold_answers,
                gold_correct = annotator_tallies.gold_correct + excluded.gold_correct
        """;

    /// <summary>
    /// The image's units as they were before this review and as they are with it: a unit is one attribute's final
    /// answers of the image's completed first and second reviews, counted once the image has a completed second
    /// review and the attribute two answers. The old combination loses a unit and the new one gains it. Rows are
    /// written in key order, so two reviews completing at once wait for each other instead of deadlocking. An item taken
    /// back and completed again is the review it took back, with the answers it changed (<see cref="AnswersByKey.FinalsSql"/>). Answers are
    /// read in the active version's terms, so reviews on either side of a taxonomy change form a unit; a combination
    /// counted under an older version and taken away under a newer one leaves a row of each, which the reader adds up by key.
    /// </summary>
    private static readonly string AgreementSql = $"""
        WITH versions AS (
            SELECT false AS is_new, * FROM ({Reviews("t.id <> @task")}) answers_before
            UNION ALL SELECT true, * FROM ({Reviews("true")}) answers_now),
        units AS (
            SELECT is_new, attribute_id, array_agg(answer ORDER BY review_task_id) AS answers FROM versions v
            WHERE answer <> '' AND EXISTS (SELECT 1 FROM versions w WHERE w.is_new = v.is_new AND w.kind = 1)
            GROUP BY is_new, attribute_id HAVING count(*) >= 2)
        INSERT INTO agreement_units (attribute_id, answers, units)
        SELECT attribute_id, answers, sum(CASE WHEN is_new THEN 1 ELSE -1 END) FROM units
        GROUP BY attribute_id, answers HAVING sum(CASE WHEN is_new THEN 1 ELSE -1 END) <> 0
        ORDER BY attribute_id, answers
        ON CONFLICT (attribute_id, answers) DO UPDATE SET units = agreement_units.units + excluded.units
        """;

    /// <summary>Columns <c>review_task_id</c>, <c>kind</c>, <c>attribute_id</c>, <c>answer</c>: the final answers of the image's completed reviews among the tasks <c>t</c> matching <paramref name="tasks"/>.</summary>
    private static string Reviews(string tasks) => $"""
        SELECT f.review_task_id, t.kind, f.attribute_id, array_to_string(f.value_ids, ',') AS answer
        FROM ({AnswersByKey.FinalsSql($"t.image_id = @image AND t.kind IN (0, 1) AND t.status = 1 AND {tasks}")}) f JOIN review_tasks t ON t.id = f.review_task_id
        """;
}

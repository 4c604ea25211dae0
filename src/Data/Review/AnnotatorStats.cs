using Npgsql;

namespace AnnotateAnyone.Data.Review;

public sealed record AnnotatorStatistics(Guid User, string Email, int Items, double ActiveHours, double ItemsPerHour,
    int Decisions, double CorrectionRate, int GoldAnswers, double GoldAccuracy);

public sealed record AttributeAgreement(string Attribute, int Units, double PercentAgreement, double CohensKappa, double KrippendorffAlpha);

/// <summary>What data leads watch: each annotator's pace, corrections and accuracy on gold, and agreement per attribute.</summary>
public sealed class AnnotatorStats(NpgsqlDataSource dataSource, Taxonomy.TaxonomyStore taxonomy)
{
    /// <summary>
    /// Per annotator: items completed, active hours (time spent, idle gaps excluded by the workspace), items per
    /// hour, the share of decisions that changed the AI's proposal, and accuracy against gold answers.
    /// </summary>
    public async Task<IReadOnlyList<AnnotatorStatistics>> PerAnnotatorAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            WITH finals AS (
                SELECT DISTINCT ON (d.review_task_id, d.attribute_id) d.user_id, d.image_id, d.attribute_id, d.value_ids, t.kind
                FROM label_decisions d JOIN review_tasks t ON t.id = d.review_task_id
                WHERE t.status = 1 AND d.user_id IS NOT NULL
                ORDER BY d.review_task_id, d.attribute_id, d.id DESC),
            work AS (
                SELECT user_id, count(*) AS decisions, sum(time_spent_ms) / 3600000.0 AS hours FROM label_decisions WHERE user_id IS NOT NULL GROUP BY user_id),
            items AS (
                SELECT completed_by AS user_id, count(*) AS items FROM review_tasks WHERE status = 1 AND completed_by IS NOT NULL GROUP BY completed_by),
            corrections AS (
                SELECT f.user_id, count(*) FILTER (WHERE p.value_ids IS NOT NULL) AS proposed,
                       count(*) FILTER (WHERE p.value_ids IS NOT NULL AND p.value_ids <> f.value_ids) AS changed
                FROM finals f
                LEFT JOIN LATERAL (SELECT value_ids FROM label_proposals lp WHERE lp.image_id = f.image_id AND lp.attribute_id = f.attribute_id
                                   ORDER BY lp.created_at DESC LIMIT 1) p ON true
                WHERE f.kind IN (0, 1) GROUP BY f.user_id),
            gold AS (
                SELECT f.user_id, count(*) AS answers, count(*) FILTER (WHERE f.value_ids = g.value_ids) AS correct
                FROM finals f JOIN gold_answers g ON g.image_id = f.image_id AND g.attribute_id = f.attribute_id
                WHERE f.kind = 3 GROUP BY f.user_id)
            SELECT u.id, u.email, coalesce(i.items, 0), coalesce(w.hours, 0), coalesce(w.decisions, 0),
                   coalesce(c.changed::float / nullif(c.proposed, 0), 0), coalesce(g.answers, 0), coalesce(g.correct::float / nullif(g.answers, 0), 0)
            FROM users u
            LEFT JOIN items i ON i.user_id = u.id LEFT JOIN work w ON w.user_id = u.id
            LEFT JOIN corrections c ON c.user_id = u.id LEFT JOIN gold g ON g.user_id = u.id
            WHERE coalesce(w.decisions, 0) > 0 OR coalesce(i.items, 0) > 0
            ORDER BY u.email
            """);
        var stats = new List<AnnotatorStatistics>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (items, hours) = ((int)reader.GetInt64(2), (double)reader.GetDecimal(3));
            stats.Add(new AnnotatorStatistics(reader.GetGuid(0), reader.GetString(1), items, hours, hours > 0 ? items / hours : 0,
                (int)reader.GetInt64(4), reader.GetDouble(5), (int)reader.GetInt64(6), reader.GetDouble(7)));
        }
        return stats;
    }

    /// <summary>
    /// Agreement per attribute over images two or more annotators reviewed (first and second reviews), streamed
    /// unit by unit from the database into counts per value: memory holds the values, not the units.
    /// </summary>
    public async Task<IReadOnlyList<AttributeAgreement>> AgreementAsync(CancellationToken cancellationToken)
    {
        var index = new Taxonomy.TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        await using var command = dataSource.CreateCommand("""
            WITH finals AS (
                SELECT DISTINCT ON (d.review_task_id, d.attribute_id) d.image_id, d.attribute_id, d.value_ids
                FROM label_decisions d JOIN review_tasks t ON t.id = d.review_task_id
                WHERE t.status = 1 AND t.kind IN (0, 1) AND cardinality(d.value_ids) > 0
                  AND d.image_id IN (SELECT image_id FROM review_tasks WHERE kind = 1 AND status = 1)
                ORDER BY d.review_task_id, d.attribute_id, d.id DESC)
            SELECT attribute_id, image_id, array_to_string(value_ids, ',') FROM finals ORDER BY attribute_id, image_id
            """);
        var byAttribute = new Dictionary<int, Agreement>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            (int Attribute, long Image)? unit = null;
            var values = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetInt32(0), reader.GetInt64(1));
                if (unit is not null && unit != key) Flush();
                unit = key;
                values.Add(reader.GetString(2));
            }
            Flush();

            void Flush()
            {
                if (unit is { } u && values.Count >= 2)
                {
                    if (!byAttribute.TryGetValue(u.Attribute, out var agreement)) byAttribute[u.Attribute] = agreement = new Agreement();
                    agreement.Add(values);
                }
                values.Clear();
            }
        }
        return byAttribute.Select(a => new AttributeAgreement(index.Find(a.Key) is null ? $"attribute {a.Key}" : index.KeyOf(a.Key), a.Value.Units,
                a.Value.PercentAgreement, a.Value.CohensKappa, a.Value.KrippendorffAlpha))
            .OrderBy(a => a.KrippendorffAlpha).ToList();
    }
}

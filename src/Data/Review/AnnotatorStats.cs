using Npgsql;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// One annotator's tallies. <see cref="ItemsPerHour"/> is null while no time was recorded (reviews sent through the
/// HTTP API without <c>timeSpentMs</c>), <see cref="CorrectionRate"/> while nothing they decided had a proposal, and
/// <see cref="GoldAccuracy"/> before their first gold answer: a pace or a rate of 0 would say something untrue.
/// </summary>
public sealed record AnnotatorStatistics(Guid User, string Email, int Items, double ActiveHours, double? ItemsPerHour,
    int Decisions, double? CorrectionRate, int GoldAnswers, double? GoldAccuracy);

public sealed record AttributeAgreement(string Attribute, long Units, double PercentAgreement, double CohensKappa, double KrippendorffAlpha);

/// <summary>What data leads watch: each annotator's pace, corrections and accuracy on gold, and agreement per attribute.</summary>
public sealed class AnnotatorStats(NpgsqlDataSource dataSource, Taxonomy.TaxonomyStore taxonomy)
{
    /// <summary>
    /// Per annotator: items completed, active hours (time spent, idle gaps excluded by the workspace), items per
    /// hour, the share of proposals the annotator changed, and accuracy against gold answers. Read from the tallies
    /// the review writes keep (<see cref="AnnotatorTally"/>): one row per annotator, whatever the number of labels.
    /// </summary>
    public async Task<IReadOnlyList<AnnotatorStatistics>> PerAnnotatorAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT u.id, u.email, t.items, t.time_spent_ms / 3600000.0, t.decisions,
                   t.changed::float / nullif(t.proposed, 0), t.gold_answers, t.gold_correct::float / nullif(t.gold_answers, 0)
            FROM annotator_tallies t JOIN users u ON u.id = t.user_id
            WHERE t.decisions > 0 OR t.items > 0
            ORDER BY u.email
            """);
        var stats = new List<AnnotatorStatistics>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var (items, hours) = ((int)reader.GetInt64(2), (double)reader.GetDecimal(3));
            stats.Add(new AnnotatorStatistics(reader.GetGuid(0), reader.GetString(1), items, hours, hours > 0 ? items / hours : null,
                (int)reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetDouble(5), (int)reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetDouble(7)));
        }
        return stats;
    }

    /// <summary>
    /// Agreement per attribute over images two or more annotators reviewed (first and second reviews), from the
    /// counts of units per combination of answers that completing those reviews keeps (<see cref="AgreementUnitCount"/>).
    /// </summary>
    public async Task<IReadOnlyList<AttributeAgreement>> AgreementAsync(CancellationToken cancellationToken)
    {
        // Units counted under an older taxonomy version count in the active one's terms; answers it cannot hold are left out.
        var translation = await taxonomy.IntoActiveAsync(cancellationToken);
        // A combination counted under one version and taken away under another has a row in each: they are added up by key.
        await using var command = dataSource.CreateCommand("SELECT attribute_id, answers, units FROM agreement_units WHERE units <> 0");
        var combinations = new Dictionary<(int Attribute, string Answers), (string[] Answers, long Units)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
            {
                var translated = reader.GetFieldValue<string[]>(1).Select(answer => translation.Translate(reader.GetInt32(0), ValueIds(answer))).ToList();
                if (translated.Any(t => t is null)) continue;
                var answers = translated.Select(t => string.Join(",", t!.Value.ValueIds)).ToArray();
                var key = (translated[0]!.Value.AttributeId, string.Join(";", answers));
                combinations[key] = (answers, combinations.GetValueOrDefault(key).Units + reader.GetInt64(2));
            }
        var byAttribute = new Dictionary<int, Agreement>();
        foreach (var ((attribute, _), (answers, units)) in combinations.Where(c => c.Value.Units > 0))
        {
            if (!byAttribute.TryGetValue(attribute, out var agreement)) byAttribute[attribute] = agreement = new Agreement();
            agreement.Add(answers, units);
        }
        return byAttribute.Select(a => new AttributeAgreement(translation.Target.KeyOf(a.Key), a.Value.Units,
                a.Value.PercentAgreement, a.Value.CohensKappa, a.Value.KrippendorffAlpha))
            .OrderBy(a => a.KrippendorffAlpha).ToList();

        static int[] ValueIds(string answer) => answer.Split(',').Select(int.Parse).ToArray();
    }
}

using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Routing;

public sealed record RoutingSummary(int Images, int AuditImages, int AiAcceptedLabels, int HumanAttributes, int ImagesDoneByAi);

/// <summary>
/// One attribute's routing: its accuracy target, the agreement with annotators that meets it, the model's measured
/// agreement (held out, and in review where its answers went to annotators whatever their confidence) and the resulting threshold.
/// </summary>
public sealed record AttributePolicy(int AttributeId, string Attribute, double Target, double AgreementNeeded, int HeldOut, double HeldOutAccuracy,
    int Measured, double MeasuredAccuracy, float? Threshold);

/// <summary>
/// Decides, label by label, who labels what. Per attribute, the threshold is the lowest confidence at which
/// the model's answers met the attribute's accuracy target (by the Wilson lower bound) on its held-out set;
/// answers at or above it are accepted as AI labels, everything else goes to annotators, lowest confidence first.
/// A fixed audit share of images goes to annotators whole, so the model's accuracy keeps being measured without bias;
/// so do the answers of an attribute the model is not trusted with at all (routing sent every one of them to people,
/// whatever its confidence). A round is routed again each time another share of its images has been reviewed
/// (<see cref="RoutingOptions.RerouteShare"/>): the evidence those reviews add can earn an attribute its threshold
/// for the rest of the round, instead of waiting for the next round and the next captioner.
/// Held-out and reviewed answers are judged against annotators, who err too: a captioner that is always right agrees
/// with annotators only as often as they are right. So the agreement an attribute needs is its target times the
/// annotators' accuracy on gold answers (the upper Wilson bound: the correction never credits the captioner with
/// more than the gold evidence allows, and without gold answers there is none). Pooled over annotators and attributes,
/// and taken as the accuracy of every reviewed label: labels settled by adjudication are more accurate than one
/// annotator's, so where they are many the correction credits the captioner slightly too much.
/// </summary>
public sealed class RoutingService(NpgsqlDataSource dataSource, IDbContextFactory<AnnotateDbContext> contexts, TaxonomyStore taxonomy,
    AuditTrail audit, IOptions<RoutingOptions> options)
{
    /// <summary>Sets a data lead's accuracy target for one attribute; the next routing uses it. Setting the target it has is not audited.</summary>
    /// <exception cref="ArgumentException">The target is outside 0.5 to 1, or the attribute is not in the active taxonomy.</exception>
    public async Task SetTargetAsync(string attribute, double target, Guid? user, CancellationToken cancellationToken)
    {
        if (!RoutingOptions.IsTarget(target)) throw new ArgumentException("A target is an accuracy between 0.5 and 1 (for example 0.97).");
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        if (index.Find(attribute) is not { } found) throw new ArgumentException(index.UnknownAttribute(attribute));
        attribute = index.KeyOf(found.Id); // stored as the taxonomy spells it, however the caller wrote it
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The target it already has changes nothing and leaves the trail alone.
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO routing_targets (attribute_key, target, set_by, set_at) VALUES ({attribute}, {target}, {user}, now())
            ON CONFLICT (attribute_key) DO UPDATE SET target = excluded.target, set_by = excluded.set_by, set_at = now()
            WHERE routing_targets.target <> excluded.target
            """, cancellationToken);
        if (changed == 0) return;
        await audit.RecordAsync(user?.ToString() ?? "system", "routing.target", "attribute", attribute, new { target }, cancellationToken);
    }

    /// <summary>
    /// The policy a model version gets per attribute of the active taxonomy: the evidence of its held-out set and of
    /// the reviews that measure it without bias in the rounds it proposed for (audit images, and attributes routed to
    /// humans whole),
    /// the data lead's target, and the threshold that meets it (null: every answer goes to a human).
    /// </summary>
    public async Task<IReadOnlyList<AttributePolicy>> PolicyAsync(int modelVersionId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var model = await db.ModelVersions.AsNoTracking().SingleAsync(m => m.Id == modelVersionId, cancellationToken);
        var heldOut = (CaptionerMetrics.From(model.Metrics)?.Heads ?? []).ToDictionary(h => h.Attribute, h => h.Profile);
        var targets = await db.RoutingTargets.AsNoTracking().ToDictionaryAsync(t => t.AttributeKey, t => t.Target, cancellationToken);
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        var measured = await MeasuredProfilesAsync(modelVersionId, cancellationToken);
        var annotators = await AnnotatorAccuracyAsync(cancellationToken);
        return index.Attributes.Select(attribute =>
        {
            var key = index.KeyOf(attribute.Id);
            var reviewed = measured.GetValueOrDefault(attribute.Id) ?? ConfidenceProfile.Empty;
            var target = targets.GetValueOrDefault(key, options.Value.DefaultTarget);
            var agreement = target * annotators;
            var evidence = heldOut.TryGetValue(key, out var held) ? held.Plus(reviewed) : reviewed;
            return new AttributePolicy(attribute.Id, key, target, agreement, held?.Count ?? 0, held?.Accuracy ?? double.NaN, reviewed.Count, reviewed.Accuracy,
                evidence.Count == 0 ? null : evidence.Threshold(agreement, options.Value.Confidence));
        }).ToList();
    }

    /// <summary>
    /// Below this, annotators' gold accuracy is no yardstick and the captioner gets no credit for it: the correction
    /// assumes annotators who err rarely agree with the captioner by chance, which fails for answers that are mostly
    /// wrong (a random answer agrees one time in a few, whatever the captioner says), and answers that bad are more
    /// likely copied from the proposal than given.
    /// </summary>
    private const double LowestCreditedAnnotatorAccuracy = 0.8;

    /// <summary>
    /// How often annotators' finished gold answers match the gold labels (by key), all annotators and attributes pooled
    /// (upper Wilson bound); 1, no correction, under <see cref="LowestCreditedAnnotatorAccuracy"/>.
    /// </summary>
    private async Task<double> AnnotatorAccuracyAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT count(*), count(*) FILTER (WHERE a.value_ids = g.value_ids)
            FROM ({AnswersByKey.FinalsSql("t.image_id IN (SELECT image_id FROM gold_answers) AND t.kind = 3 AND t.status = 1 AND d.user_id IS NOT NULL")}) a
            JOIN ({AnswersByKey.GoldSql("true")}) g ON g.image_id = a.image_id AND g.attribute_id = a.attribute_id
            """);
        (await taxonomy.IntoActiveAsync(cancellationToken)).AddLookups(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var accuracy = Wilson.UpperBound((int)reader.GetInt64(1), (int)reader.GetInt64(0), options.Value.Confidence);
        return accuracy < LowestCreditedAnnotatorAccuracy ? 1 : accuracy;
    }

    /// <summary>Per attribute id of the active taxonomy, the confidence from which the model is trusted (attributes absent: never).</summary>
    public async Task<Dictionary<int, float>> ThresholdsAsync(int modelVersionId, CancellationToken cancellationToken) =>
        (await PolicyAsync(modelVersionId, cancellationToken)).Where(p => p.Threshold is not null).ToDictionary(p => p.AttributeId, p => p.Threshold!.Value);

    /// <summary>
    /// How the model's answers fared against annotators where they went to humans whatever their confidence (audit
    /// images, attributes routed whole) in its rounds, binned by confidence in SQL, per attribute of the active version.
    /// Labels and proposals are matched by key (<see cref="ProposalAgreement"/>), as routing reads them.
    /// </summary>
    private async Task<Dictionary<int, ConfidenceProfile>> MeasuredProfilesAsync(int modelVersionId, CancellationToken cancellationToken)
    {
        var agreement = await ProposalAgreement.CreateAsync(taxonomy, cancellationToken);
        await using var command = dataSource.CreateCommand($"""
            SELECT attribute_id, least(floor(confidence * {ConfidenceProfile.Bins}::real)::int, {ConfidenceProfile.Bins - 1}), count(*), count(*) FILTER (WHERE agrees)
            FROM ({ProposalAgreement.RowsSql($"""
                t.kind = 0 AND t.status = 1 AND t.round_id IN (SELECT id FROM annotation_rounds WHERE model_version_id = @model)
                AND (t.attribute_ids IS NULL OR {TaxonomyTranslation.AttributeSql("l.attribute_id")} = ANY (ARRAY(SELECT {TaxonomyTranslation.AttributeSql("m")} FROM unnest(t.measured_attribute_ids) m)))
                """)}) measured
            GROUP BY 1, 2
            """);
        agreement.AddParameters(command.Parameters);
        command.Parameters.AddWithValue("model", modelVersionId);
        var profiles = new Dictionary<int, ConfidenceProfile>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var attribute = reader.GetInt32(0);
            if (!profiles.TryGetValue(attribute, out var profile)) profiles[attribute] = profile = ConfidenceProfile.Empty;
            profile.Total[reader.GetInt32(1)] = (int)reader.GetInt64(2);
            profile.Correct[reader.GetInt32(1)] = (int)reader.GetInt64(3);
        }
        return profiles;
    }

    /// <summary>
    /// Routes the images of a round with the given model's newest proposals: all of them the first time, and again
    /// later those not yet reviewed. Images an annotator holds a live claim on are left as they are.
    /// </summary>
    public async Task<RoutingSummary> RouteRoundAsync(int roundId, int? modelVersionId, CancellationToken cancellationToken)
    {
        var thresholds = modelVersionId is { } model ? await ThresholdsAsync(model, cancellationToken) : [];
        var translation = await taxonomy.IntoActiveAsync(cancellationToken);
        var attributes = translation.Target.Attributes.Select(a => a.Id).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE route_thresholds (attribute_id int PRIMARY KEY, threshold real) ON COMMIT DROP;
            CREATE TEMP TABLE route_images (image_id bigint PRIMARY KEY, audit bool) ON COMMIT DROP;
            """, cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync("COPY route_thresholds FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var (attribute, threshold) in thresholds)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(attribute, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(threshold, NpgsqlDbType.Real, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }

        await using var route = new NpgsqlCommand($$"""
            INSERT INTO route_images
            SELECT id, ((hashint8(id)::bigint & 2147483647) % 1000) < @audit * 1000 FROM images i WHERE round_id = @round AND status IN (0, 2)
              AND NOT EXISTS (SELECT 1 FROM review_tasks t WHERE t.image_id = i.id AND t.status = 0 AND t.lease_expires_at > now());
            ANALYZE route_images;

            -- The images' labels and the model's newest proposals, in the active version's ids: a change to the taxonomy
            -- gives every attribute and value new ids, and what was labelled or proposed under the old ones counts by key
            -- (the newest version's label where there are several). A label or a proposal with a value the version lacks
            -- is none, as releases and the review workspace read it: its attribute is asked again.
            CREATE TEMP TABLE route_labels ON COMMIT DROP AS
            SELECT DISTINCT ON (image_id, attribute_id) image_id, attribute_id, value_ids
            FROM (SELECT l.image_id, (@attribute_of)[l.attribute_id] AS attribute_id, (@version_of)[l.attribute_id] AS version,
                         {{TaxonomyTranslation.ValuesSql("l.value_ids", "(@value_of)")}} AS value_ids, l.value_ids AS given
                  FROM labels l JOIN route_images r ON r.image_id = l.image_id
                  WHERE l.attribute_id = ANY (@sources)) l
            WHERE cardinality(value_ids) = cardinality(given)
            ORDER BY image_id, attribute_id, version DESC;
            ALTER TABLE route_labels ADD PRIMARY KEY (image_id, attribute_id);
            CREATE TEMP TABLE route_proposals ON COMMIT DROP AS
            SELECT image_id, attribute_id, value_ids, confidence
            FROM (SELECT DISTINCT ON (p.image_id, (@attribute_of)[p.attribute_id]) p.image_id, (@attribute_of)[p.attribute_id] AS attribute_id,
                         {{TaxonomyTranslation.ValuesSql("p.value_ids", "(@value_of)")}} AS value_ids, p.value_ids AS given, p.confidence
                  FROM label_proposals p JOIN route_images r ON r.image_id = p.image_id
                  WHERE p.model_version_id = @model AND p.attribute_id = ANY (@sources)
                  ORDER BY p.image_id, (@attribute_of)[p.attribute_id], p.created_at DESC, p.id DESC) p
            WHERE cardinality(value_ids) = cardinality(given);
            ALTER TABLE route_proposals ADD PRIMARY KEY (image_id, attribute_id);

            -- The other attributes of a group whose type can say it is absent (a coat's pattern; its type "none"): where
            -- the type is taken or labelled as absent, they are no labels at all, neither the captioner's nor people's.
            CREATE TEMP TABLE route_parts (attribute_id int PRIMARY KEY, type_id int) ON COMMIT DROP;
            INSERT INTO route_parts
            SELECT a.id, ta.id FROM attributes a JOIN attributes ta ON ta.group_id = a.group_id AND ta.is_type_noun AND NOT a.is_type_noun
            WHERE a.id = ANY (@attributes) AND EXISTS (SELECT 1 FROM attribute_values v WHERE v.attribute_id = ta.id AND v.marks_absent);
            CREATE TEMP TABLE route_absent (image_id bigint, type_id int, PRIMARY KEY (image_id, type_id)) ON COMMIT DROP;
            INSERT INTO route_absent
            SELECT r.image_id, ta.type_id
            FROM route_images r CROSS JOIN (SELECT DISTINCT type_id FROM route_parts) ta
            CROSS JOIN LATERAL (SELECT coalesce(
                (SELECT y.value_ids FROM route_labels y WHERE y.image_id = r.image_id AND y.attribute_id = ta.type_id),
                (SELECT p.value_ids FROM route_proposals p JOIN route_thresholds t ON t.attribute_id = p.attribute_id
                 WHERE p.image_id = r.image_id AND p.attribute_id = ta.type_id AND NOT r.audit AND p.confidence >= t.threshold)) AS value_ids) v
            WHERE EXISTS (SELECT 1 FROM attribute_values av WHERE av.attribute_id = ta.type_id AND av.marks_absent AND av.id = ANY (v.value_ids));
            ANALYZE route_labels, route_proposals, route_parts, route_absent;

            WITH accepted AS (
                INSERT INTO labels (image_id, attribute_id, value_ids, source, confidence, model_version_id, decided_at, revision)
                SELECT l.image_id, l.attribute_id, l.value_ids, 1, l.confidence, @model, now(), 1
                FROM route_proposals l JOIN route_images r ON r.image_id = l.image_id JOIN route_thresholds t ON t.attribute_id = l.attribute_id
                WHERE NOT r.audit AND l.confidence >= t.threshold
                  AND NOT EXISTS (SELECT 1 FROM route_labels x WHERE x.image_id = l.image_id AND x.attribute_id = l.attribute_id)
                  AND NOT EXISTS (SELECT 1 FROM route_parts g JOIN route_absent z ON z.type_id = g.type_id
                                  WHERE g.attribute_id = l.attribute_id AND z.image_id = l.image_id)
                ON CONFLICT (image_id, attribute_id) DO NOTHING
                RETURNING image_id, attribute_id, value_ids, confidence)
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, model_version_id, confidence, decided_at, time_spent_ms, round_id)
            SELECT image_id, attribute_id, value_ids, 1, @model, confidence, now(), 0, @round FROM accepted;

            CREATE TEMP TABLE route_human ON COMMIT DROP AS
            SELECT r.image_id, r.audit, a.attribute_id, NOT EXISTS (SELECT 1 FROM route_thresholds t WHERE t.attribute_id = a.attribute_id) AS measured,
                   (SELECT p.confidence FROM route_proposals p WHERE p.image_id = r.image_id AND p.attribute_id = a.attribute_id) AS confidence
            FROM route_images r CROSS JOIN unnest(@attributes) AS a(attribute_id)
            -- Labels from before this routing by key, and those it just accepted (in the active version's ids).
            WHERE NOT EXISTS (SELECT 1 FROM route_labels l WHERE l.image_id = r.image_id AND l.attribute_id = a.attribute_id)
              AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.image_id = r.image_id AND l.attribute_id = a.attribute_id)
              AND NOT EXISTS (SELECT 1 FROM route_parts g JOIN route_absent z ON z.type_id = g.type_id
                              WHERE g.attribute_id = a.attribute_id AND z.image_id = r.image_id);

            INSERT INTO review_tasks (image_id, kind, priority, status, attribute_ids, measured_attribute_ids, round_id, created_at)
            SELECT image_id, 0, coalesce(min(confidence), 0), 0, CASE WHEN bool_or(audit) THEN NULL ELSE array_agg(attribute_id ORDER BY attribute_id) END,
                   CASE WHEN bool_or(audit) THEN NULL ELSE coalesce(array_agg(attribute_id ORDER BY attribute_id) FILTER (WHERE measured), '{}') END, @round, now()
            FROM route_human GROUP BY image_id
            ON CONFLICT (image_id, kind) WHERE status = 0 AND kind <> 3
            DO UPDATE SET attribute_ids = excluded.attribute_ids, measured_attribute_ids = excluded.measured_attribute_ids, priority = excluded.priority,
                          round_id = excluded.round_id;

            UPDATE review_tasks SET status = 2 WHERE kind = 0 AND status = 0
              AND image_id IN (SELECT image_id FROM route_images WHERE NOT audit)
              AND image_id NOT IN (SELECT image_id FROM route_human);
            UPDATE images SET status = 3, updated_at = now()
            WHERE id IN (SELECT image_id FROM route_images WHERE NOT audit) AND id NOT IN (SELECT image_id FROM route_human);
            UPDATE images SET status = 2, updated_at = now() WHERE id IN (SELECT image_id FROM route_human) AND status = 0;
            UPDATE annotation_rounds SET routings = routings + 1, routed_at = now() WHERE id = @round;

            SELECT (SELECT count(*) FROM route_images), (SELECT count(*) FROM route_images WHERE audit),
                   (SELECT count(*) FROM labels l JOIN route_images r ON r.image_id = l.image_id WHERE l.source = 1 AND l.model_version_id = @model),
                   (SELECT count(*) FROM route_human),
                   (SELECT count(*) FROM route_images WHERE image_id NOT IN (SELECT image_id FROM route_human));
            """, connection);
        // A round of 10,000 images (670,000 proposals) is routed in about 9 s here, linear in its size: a round at
        // CosmicMan's scale takes minutes, past the client's 30 s default, and a Worker's job may wait for it.
        route.CommandTimeout = 0;
        route.Parameters.AddWithValue("round", roundId);
        route.Parameters.AddWithValue("model", (object?)modelVersionId ?? DBNull.Value).NpgsqlDbType = NpgsqlDbType.Integer;
        route.Parameters.AddWithValue("audit", options.Value.AuditShare);
        route.Parameters.AddWithValue("attributes", attributes);
        route.Parameters.AddWithValue("sources", translation.SourceAttributeIds.ToArray());
        translation.AddLookups(route.Parameters);
        RoutingSummary summary;
        await using (var reader = await route.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            summary = new RoutingSummary((int)reader.GetInt64(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4));
        }
        await transaction.CommitAsync(cancellationToken);
        return summary;
    }

    /// <summary>
    /// Routes again, with the evidence reviews have added since, each round in review whose reviewed images grew by
    /// another <see cref="RoutingOptions.RerouteShare"/> of the round since it was last routed. Many Workers call this:
    /// a round is taken by moving its mark in one conditional update, so each growth is routed once. Returns the
    /// rounds routed.
    /// </summary>
    public async Task<IReadOnlyList<(int RoundId, RoutingSummary Summary)>> RerouteDueRoundsAsync(CancellationToken cancellationToken)
    {
        var due = new List<(int RoundId, int ModelVersionId)>();
        await using (var take = dataSource.CreateCommand("""
            WITH due AS (
                SELECT r.id, reviewed.count
                FROM annotation_rounds r
                CROSS JOIN LATERAL (SELECT count(*)::int AS count FROM review_tasks t WHERE t.round_id = r.id AND t.kind = 0 AND t.status = 1) reviewed
                WHERE r.status = 2 AND r.model_version_id IS NOT NULL
                  AND reviewed.count - r.routed_at_reviews >= greatest(ceil(r.image_count * @share), 1))
            UPDATE annotation_rounds r SET routed_at_reviews = due.count FROM due
            WHERE r.id = due.id AND r.routed_at_reviews < due.count
            RETURNING r.id, r.model_version_id
            """))
        {
            take.Parameters.AddWithValue("share", options.Value.RerouteShare);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) due.Add((reader.GetInt32(0), reader.GetInt32(1)));
        }
        var routed = new List<(int, RoutingSummary)>();
        foreach (var (round, model) in due) routed.Add((round, await RouteRoundAsync(round, model, cancellationToken)));
        return routed;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Data.Review;

/// <summary>What a model proposed for an attribute (mapped to the active taxonomy), with which model.</summary>
public sealed record ProposedValue(int[] ValueIds, float Confidence, int ModelVersionId, string ModelName);

/// <summary>
/// The current label of an attribute, with the revision a change must name; null for a label made under an older
/// taxonomy version (the active version has no label of the attribute yet, so a change adds one).
/// </summary>
public sealed record CurrentLabel(int[] ValueIds, int? Revision, Labels.LabelSource Source);

/// <summary>For adjudication: one annotator's final values.</summary>
public sealed record AnnotatorValue(Guid User, string Email, int[] ValueIds);

/// <summary>Everything the workspace shows for one leased item.</summary>
/// <param name="HiddenProposals">
/// Attributes whose proposals are left out of <paramref name="Proposals"/> because this review measures the captioner on
/// them (<see cref="ReviewOptions.BlindMeasurement"/>): the annotator chooses their values without seeing its answer.
/// </param>
public sealed record ReviewItem(
    Lease Lease,
    Image Image,
    TaxonomyVersion Taxonomy,
    IReadOnlyDictionary<int, ProposedValue> Proposals,
    IReadOnlyDictionary<int, CurrentLabel> Labels,
    IReadOnlyDictionary<int, IReadOnlyList<AnnotatorValue>> OtherAnnotators,
    IReadOnlySet<int> HiddenProposals);

/// <summary>
/// Loads a leased item in a handful of indexed queries: the image, the newest proposal per attribute (proposals
/// made under an older taxonomy version are carried over by key), the current labels, and for adjudication
/// what each reviewer decided.
/// </summary>
public sealed class ReviewItems(NpgsqlDataSource dataSource, TaxonomyStore taxonomy, IOptions<ReviewOptions> options)
{
    public async Task<ReviewItem> LoadAsync(Lease lease, CancellationToken cancellationToken)
    {
        // Anything made under an older taxonomy version (a change while the image waited for review) is shown in the
        // active version's terms, by key, through the translation the store keeps while the version stays active.
        var translation = await taxonomy.IntoActiveAsync(cancellationToken);
        var active = translation.Target.Version;
        // A gold check or a second opinion must be made without seeing the answer or the first opinion: what it shows as
        // decided is the annotator's own answers on this item so far (their latest per attribute; an empty one took it back),
        // those given before they took it back included.
        var showLabels = lease.Kind is not (ReviewKind.Gold or ReviewKind.DoubleReview);

        // The image, its newest proposal per attribute, its labels and what this review measures, in one round trip.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT id, sha256, width, height, format, byte_size, source_kind, source_uri, original_key, thumbnail_key, parsing_map_key,
                   status, reject_reason, flags, is_gold, round_id, created_at, updated_at
            FROM images WHERE id = @image
            """) { Parameters = { new("image", lease.ImageId) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT DISTINCT ON (p.attribute_id) p.attribute_id, p.value_ids, p.confidence, p.model_version_id,
                   m.name || coalesce(' ' || m.version_label, ' v' || m.number)
            FROM label_proposals p
            JOIN model_versions m ON m.id = p.model_version_id
            WHERE p.image_id = @image
            ORDER BY p.attribute_id, p.created_at DESC, p.id DESC
            """) { Parameters = { new("image", lease.ImageId) } });
        batch.BatchCommands.Add(showLabels
            ? new NpgsqlBatchCommand("SELECT attribute_id, value_ids, revision, source FROM labels WHERE image_id = @image")
                { Parameters = { new("image", lease.ImageId) } }
            : new NpgsqlBatchCommand($"""
                SELECT attribute_id, value_ids, NULL::int, source FROM (
                    SELECT DISTINCT ON (attribute_id) attribute_id, value_ids, source FROM label_decisions
                    WHERE image_id = @image AND review_task_id IN ({AnswersByKey.TasksOfReviewSql("@task")}) ORDER BY attribute_id, id DESC) own
                WHERE cardinality(value_ids) > 0
                """) { Parameters = { new("image", lease.ImageId), new("task", lease.TaskId) } });
        // A round's reviews that routing reads as the captioner's unbiased evidence (RoutingService.MeasuredProfilesAsync):
        // an audit image (no attributes named: all of them) and the attributes routed whole. A row when its answers are
        // hidden; the review's own when it was taken back, whose changed answers become the evidence.
        batch.BatchCommands.Add(new NpgsqlBatchCommand($$"""
            SELECT t.attribute_ids IS NULL, coalesce(t.measured_attribute_ids, '{}')
            FROM review_tasks t JOIN annotation_rounds r ON r.id = t.round_id
            WHERE t.id = {{AnswersByKey.ReviewOfTask("@task")}} AND t.kind = 0 AND r.model_version_id IS NOT NULL AND @blind
            """) { Parameters = { new("task", lease.TaskId), new("blind", options.Value.BlindMeasurement) } });

        Image image;
        var proposalRows = new List<(int AttributeId, int[] Values, float Confidence, int Model, string ModelName)>();
        var labelRows = new List<(int AttributeId, int[] Values, int? Revision, Labels.LabelSource Source)>();
        int[]? measured = [];
        // Prepared (once per pooled connection): it runs for every item, and planning it costs more than running it.
        await batch.PrepareAsync(cancellationToken);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken)) throw new KeyNotFoundException($"Image {lease.ImageId} does not exist.");
            image = ReadImage(reader);
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                proposalRows.Add((reader.GetInt32(0), reader.GetFieldValue<int[]>(1), reader.GetFloat(2), reader.GetInt32(3), reader.GetString(4)));
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                labelRows.Add((reader.GetInt32(0), reader.GetFieldValue<int[]>(1), reader.IsDBNull(2) ? null : reader.GetInt32(2), (Labels.LabelSource)reader.GetInt16(3)));
            await reader.NextResultAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
                measured = reader.GetBoolean(0) ? null : reader.GetFieldValue<int[]>(1);
        }
        var others = lease.Kind == ReviewKind.Adjudication ? await ReviewerValuesAsync(connection, lease.ImageId, cancellationToken) : [];

        bool Older(int attributeId) => translation.Target.Find(attributeId) is null;
        (int AttributeId, int[] ValueIds)? InActive(int attributeId, int[] values) => Older(attributeId) ? translation.Translate(attributeId, values) : (attributeId, values);
        int[] IdsInActive(IEnumerable<int> attributeIds) => attributeIds.Select(id => Older(id) ? translation.AttributeOf(id) : id).OfType<int>().Distinct().ToArray();
        var hidden = (measured is null ? translation.Target.Attributes.Select(a => a.Id) : IdsInActive(measured)).ToHashSet();

        // The active version's own proposals and labels first, then older versions' newest first (their attributes were made later).
        var proposals = new Dictionary<int, ProposedValue>();
        foreach (var (attributeId, values, confidence, model, modelName) in proposalRows.OrderBy(p => Older(p.AttributeId)).ThenByDescending(p => p.AttributeId))
            if (InActive(attributeId, values) is { } m && !hidden.Contains(m.AttributeId))
                proposals.TryAdd(m.AttributeId, new ProposedValue(m.ValueIds, confidence, model, modelName));
        var labels = new Dictionary<int, CurrentLabel>();
        foreach (var (attributeId, values, revision, source) in labelRows.OrderBy(l => Older(l.AttributeId)).ThenByDescending(l => l.AttributeId))
            if (InActive(attributeId, values) is { } m) labels.TryAdd(m.AttributeId, new CurrentLabel(m.ValueIds, Older(attributeId) ? null : revision, source));
        var reviewers = new Dictionary<int, IReadOnlyList<AnnotatorValue>>();
        foreach (var (attributeId, values) in others)
            foreach (var value in values)
                if (InActive(attributeId, value.ValueIds) is { } m)
                    reviewers[m.AttributeId] = [.. reviewers.GetValueOrDefault(m.AttributeId) ?? [], value with { ValueIds = m.ValueIds }];
        var scope = lease.AttributeIds is { } ids ? IdsInActive(ids) : null;
        return new ReviewItem(lease with { AttributeIds = scope }, image, active, proposals, labels, reviewers, hidden);
    }

    private static Image ReadImage(NpgsqlDataReader reader)
    {
        T? Nullable<T>(int i) where T : struct => reader.IsDBNull(i) ? null : reader.GetFieldValue<T>(i);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new Image
        {
            Id = reader.GetInt64(0), Sha256 = (byte[])reader[1], Width = Nullable<int>(2), Height = Nullable<int>(3),
            Format = reader.IsDBNull(4) ? null : (ImageFormat)reader.GetInt16(4), ByteSize = reader.GetInt64(5),
            SourceKind = (ImageSourceKind)reader.GetInt16(6), SourceUri = reader.GetString(7), OriginalKey = reader.GetString(8),
            ThumbnailKey = Text(9), ParsingMapKey = Text(10), Status = (ImageStatus)reader.GetInt16(11), RejectReason = Text(12),
            Flags = (ImageFlags)reader.GetInt16(13), IsGold = reader.GetBoolean(14), RoundId = Nullable<int>(15),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(16), UpdatedAt = reader.GetFieldValue<DateTimeOffset>(17),
        };
    }

    private static async Task<Dictionary<int, IReadOnlyList<AnnotatorValue>>> ReviewerValuesAsync(NpgsqlConnection connection, long imageId,
        CancellationToken cancellationToken)
    {
        // An item its annotator took back and completed again is one review with its changed answers, not a second reviewer.
        await using var command = new NpgsqlCommand($"""
            SELECT DISTINCT ON ({AnswersByKey.ReviewOf("t")}, d.attribute_id) d.attribute_id, d.user_id, u.email, d.value_ids
            FROM label_decisions d
            JOIN review_tasks t ON t.id = d.review_task_id
            JOIN users u ON u.id = d.user_id
            WHERE d.image_id = @image AND t.kind IN (0, 1) AND t.status = 1
            ORDER BY {AnswersByKey.ReviewOf("t")}, d.attribute_id, d.id DESC
            """, connection);
        command.Parameters.AddWithValue("image", imageId);
        var values = new Dictionary<int, List<AnnotatorValue>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var attribute = reader.GetInt32(0);
            if (!values.TryGetValue(attribute, out var list)) values[attribute] = list = [];
            list.Add(new AnnotatorValue(reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<int[]>(3)));
        }
        return values.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<AnnotatorValue>)kv.Value);
    }
}

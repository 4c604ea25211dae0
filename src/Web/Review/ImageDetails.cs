using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.Web.Review;

/// <param name="Attribute">The attribute's key in the taxonomy version the label was made under (<paramref name="TaxonomyVersion"/>).</param>
/// <param name="Source">As releases name it: human, ai_accepted, gold, imported, adjudicated.</param>
public sealed record ImageLabelView(string Attribute, IReadOnlyList<string> Values, string Source, float? Confidence, int? ModelVersion,
    string? DecidedBy, DateTimeOffset DecidedAt, int TaxonomyVersion);

/// <param name="Round">The number of the round the image went through; null before it went through one.</param>
public sealed record ImageDetailView(long Id, string Sha256, int? Width, int? Height, string? Format, long ByteSize, string SourceKind,
    string SourceUri, string Status, string? RejectReason, IReadOnlyList<string> Flags, int? Round, long? IngestRun, float? UsableScore,
    bool IsGold, bool HasParsingMap, DateTimeOffset IngestedAt, IReadOnlyList<ImageLabelView> Labels);

/// <summary>One image as a script reads it: what it is, where it came from, where it stands, and its current labels.</summary>
public sealed class ImageDetails(NpgsqlDataSource dataSource, TaxonomyStore taxonomy)
{
    /// <returns>Null when there is no such image.</returns>
    public async Task<ImageDetailView?> LoadAsync(long imageId, CancellationToken cancellationToken) =>
        await AboutAsync(imageId, cancellationToken) is { } image ? image with { Labels = await LabelsAsync(imageId, cancellationToken) } : null;

    /// <summary>The image without its labels (its history page lists their whole story instead); null when there is no such image.</summary>
    public async Task<ImageDetailView?> AboutAsync(long imageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.sha256, i.width, i.height, i.format, i.byte_size, i.source_kind, i.source_uri, i.status, i.reject_reason, i.flags,
                   r.number, i.ingest_run_id, i.usable_score, i.is_gold, i.parsing_map_key IS NOT NULL, i.created_at
            FROM images i LEFT JOIN annotation_rounds r ON r.id = i.round_id
            WHERE i.id = @image
            """);
        command.Parameters.AddWithValue("image", imageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var flags = (ImageFlags)reader.GetInt16(9);
        return new ImageDetailView(imageId, Convert.ToHexStringLower(reader.GetFieldValue<byte[]>(0)), NullableInt(reader, 1), NullableInt(reader, 2),
            reader.IsDBNull(3) ? null : ((ImageFormat)reader.GetInt16(3)).ToString(), reader.GetInt64(4), ((ImageSourceKind)reader.GetInt16(5)).ToString(),
            reader.GetString(6), ((ImageStatus)reader.GetInt16(7)).ToString(), reader.IsDBNull(8) ? null : reader.GetString(8),
            Enum.GetValues<ImageFlags>().Where(f => f != ImageFlags.None && flags.HasFlag(f)).Select(f => f.ToString()).ToList(),
            NullableInt(reader, 10), reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.IsDBNull(12) ? null : reader.GetFloat(12),
            reader.GetBoolean(13), reader.GetBoolean(14), reader.GetFieldValue<DateTimeOffset>(15), []);
    }

    private async Task<IReadOnlyList<ImageLabelView>> LabelsAsync(long imageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT a.taxonomy_version_id, l.attribute_id, l.value_ids, l.source, l.confidence, m.number, u.email, l.decided_at
            FROM labels l JOIN attributes a ON a.id = l.attribute_id
            LEFT JOIN model_versions m ON m.id = l.model_version_id LEFT JOIN users u ON u.id = l.decided_by
            WHERE l.image_id = @image
            """);
        command.Parameters.AddWithValue("image", imageId);
        var labels = new List<(int Group, int Position, ImageLabelView Label)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var version = await taxonomy.GetAsync(reader.GetInt32(0), cancellationToken);
            var index = new TaxonomyIndex(version);
            var attribute = index.Find(reader.GetInt32(1))!;
            var ids = reader.GetFieldValue<int[]>(2);
            labels.Add((index.GroupOf(attribute.Id).Position, attribute.Position, new ImageLabelView(index.KeyOf(attribute.Id),
                TaxonomyIndex.ValueKeys(attribute, ids),
                ReleaseColumns.SourceName((LabelSource)reader.GetInt16(3)), reader.IsDBNull(4) ? null : reader.GetFloat(4), NullableInt(reader, 5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), version.Number)));
        }
        // In the order the review workspace shows them: by body-part group, then attribute.
        return labels.OrderBy(l => l.Group).ThenBy(l => l.Position).ThenBy(l => l.Label.TaxonomyVersion).Select(l => l.Label).ToList();
    }

    private static int? NullableInt(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt32(ordinal);
}

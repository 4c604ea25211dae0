using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;
using NpgsqlTypes;

namespace AnnotateAnyone.Data.Images;

/// <summary>Who made the label an image search looks for.</summary>
public enum LabelOrigin
{
    /// <summary>Accepted from the AI's proposal without a person.</summary>
    Ai,

    /// <summary>Given or confirmed by a person (an annotator, a gold answer, an adjudication or an import).</summary>
    People,
}

/// <summary>
/// What a data lead looks for: images in a state, of a round, with a label of an attribute (of a value, made by the AI
/// or by people). Attribute and value are keys of the active taxonomy; labels made under older versions count by key.
/// </summary>
public sealed record ImageSearchFilter
{
    public ImageStatus? Status { get; init; }

    /// <summary>A round's number.</summary>
    public int? Round { get; init; }

    /// <summary>"group.attribute": images with a label of it.</summary>
    public string? Attribute { get; init; }

    /// <summary>A value key of <see cref="Attribute"/>: images whose label has it.</summary>
    public string? Value { get; init; }

    /// <summary>Images whose label of <see cref="Attribute"/> was made so.</summary>
    public LabelOrigin? Origin { get; init; }
}

/// <param name="Status">Written by name in JSON ("PendingReview"), as the API's other states are.</param>
/// <param name="RejectReason">Why ingest refused it; null for an image it took.</param>
/// <param name="Label">The label the filter matched (its attribute's); null when the filter names no attribute.</param>
public sealed record FoundImage(long Id, int? Width, int? Height, [property: JsonConverter(typeof(JsonStringEnumConverter<ImageStatus>))] ImageStatus Status,
    int? Round, bool HasThumbnail, DateTimeOffset IngestedAt, string? RejectReason, FoundLabel? Label = null);

/// <summary>A label as the explorer shows it: its values (keys of the active version), who made it, the AI's confidence.</summary>
public sealed record FoundLabel(IReadOnlyList<string> Values, [property: JsonConverter(typeof(JsonStringEnumConverter<LabelOrigin>))] LabelOrigin Origin, float? Confidence);

/// <param name="Images">Newest first.</param>
/// <param name="Next">
/// Where the next page starts (pass as <c>before</c>); null when every image has been looked at. A page short of what
/// was asked for with a next page has not found more among the images it looked at: a rare filter fills pages slowly.
/// </param>
public sealed record ImageSearchPage(IReadOnlyList<FoundImage> Images, long? Next);

/// <summary>
/// Pages through the images, newest first, for the images explorer. Each page looks at no more than
/// <paramref name="imagesPerPage"/> images below its cursor, so a filter that matches nothing in six million images
/// still answers at once (with fewer hits and a cursor to look further) instead of scanning the whole table in one request:
/// a label filter that matches nothing probes 20,000 images' labels in about 0.3 s, whatever the table's size.
/// </summary>
public sealed class ImageSearch(NpgsqlDataSource dataSource, TaxonomyStore taxonomies, int imagesPerPage = 20_000)
{
    public const int MaxTake = 500;

    /// <summary>A filter naming an attribute or value the active taxonomy lacks throws <see cref="ArgumentException"/> saying so.</summary>
    public async Task<ImageSearchPage> FindAsync(ImageSearchFilter filter, long? before, int take, CancellationToken cancellationToken)
    {
        if (PageSize.Problem(take, MaxTake, "images") is { } tooMany) throw new ArgumentException(tooMany);
        var label = await LabelConditionAsync(filter, cancellationToken);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        int? roundId = null;
        if (filter.Round is { } number)
        {
            await using var round = new NpgsqlCommand("SELECT id FROM annotation_rounds WHERE number = @number", connection);
            round.Parameters.AddWithValue("number", number);
            roundId = await round.ExecuteScalarAsync(cancellationToken) as int? ?? throw new ArgumentException($"Round {number} does not exist.");
        }
        // The lowest id this page may reach (the imagesPerPage-th image below the cursor) and whether any image lies
        // below it, read from the primary key alone.
        var (floor, more) = (0L, false);
        await using (var reach = new NpgsqlCommand("SELECT id FROM images WHERE id < @before ORDER BY id DESC OFFSET @reach LIMIT 2", connection))
        {
            reach.Parameters.AddWithValue("before", before ?? long.MaxValue);
            reach.Parameters.AddWithValue("reach", imagesPerPage - 1);
            await using var reader = await reach.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken)) (floor, more) = (reader.GetInt64(0), await reader.ReadAsync(cancellationToken));
        }

        await using var command = new NpgsqlCommand($"""
            SELECT i.id, i.width, i.height, i.status, r.number, i.thumbnail_key IS NOT NULL, i.created_at, i.reject_reason, {label.Columns}
            FROM images i LEFT JOIN annotation_rounds r ON r.id = i.round_id
            {label.Join}
            WHERE i.id < @before AND i.id >= @floor
              AND (@status IS NULL OR i.status = @status)
              AND (@round IS NULL OR i.round_id = @round)
            ORDER BY i.id DESC LIMIT @take
            """, connection);
        command.Parameters.AddWithValue("before", before ?? long.MaxValue);
        command.Parameters.AddWithValue("floor", floor);
        command.Parameters.Add(Nullable("status", NpgsqlDbType.Smallint, (short?)filter.Status));
        command.Parameters.Add(Nullable("round", NpgsqlDbType.Integer, roundId));
        command.Parameters.AddWithValue("take", take);
        foreach (var parameter in label.Parameters) command.Parameters.Add(parameter);

        var found = new List<FoundImage>(take);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                found.Add(new FoundImage(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
                    (ImageStatus)reader.GetInt16(3), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : new FoundLabel(label.ValueKeys(reader.GetFieldValue<int[]>(8)),
                        reader.GetInt16(9) == 1 ? LabelOrigin.Ai : LabelOrigin.People, reader.IsDBNull(10) ? null : reader.GetFloat(10))));

        // A full page goes on after its last image; a short one after everything it looked at, unless that reached the first image.
        return new ImageSearchPage(found, found.Count == take ? found[^1].Id : more ? floor : null);
    }

    /// <summary>How a label filter is read: a join that finds the label, the columns it adds, and its values' keys.</summary>
    private sealed record LabelMatch(string Join, string Columns, NpgsqlParameter[] Parameters, Func<int[], IReadOnlyList<string>> ValueKeys)
    {
        public static readonly LabelMatch None = new("", "NULL::int[], NULL::smallint, NULL::real", [], _ => []);
    }

    private async Task<LabelMatch> LabelConditionAsync(ImageSearchFilter filter, CancellationToken cancellationToken)
    {
        if (filter.Attribute is null)
            return filter.Value is null && filter.Origin is null
                ? LabelMatch.None
                : throw new ArgumentException("Choose the attribute whose value or origin to look for.");
        var translation = await taxonomies.IntoActiveAsync(cancellationToken);
        var taxonomy = translation.Target;
        var attribute = taxonomy.Find(filter.Attribute) ?? throw new ArgumentException(taxonomy.UnknownAttribute(filter.Attribute));
        int[]? values = null;
        if (filter.Value is not null)
        {
            var value = TaxonomyIndex.FindValue(attribute, filter.Value)
                ?? throw new ArgumentException(TaxonomyIndex.NotAValue(filter.Value, taxonomy.KeyOf(attribute.Id), attribute));
            values = [.. translation.SourceValuesOf(value.Id)];
        }
        // The image's label of the attribute under the newest version that has one (a newer version's attributes have
        // larger ids), as releases read it: a label relabelled after a taxonomy change is found by its new answer only.
        // A lateral subquery with a limit, not EXISTS: PostgreSQL would turn EXISTS into a join that reads every label of
        // the attribute (six million at CosmicMan's scale) instead of probing the primary key for the images in reach.
        const string join = """
            JOIN LATERAL (SELECT l.value_ids, l.source, l.confidence FROM labels l
                          WHERE l.image_id = i.id AND l.attribute_id = ANY (@attributes)
                            AND (@values IS NULL OR l.value_ids && @values)
                            AND (@origin IS NULL OR (l.source = 1) = (@origin = 0))
                            AND NOT EXISTS (SELECT 1 FROM labels n WHERE n.image_id = i.id AND n.attribute_id = ANY (@attributes) AND n.attribute_id > l.attribute_id)
                          LIMIT 1) m ON true
            """;
        var keys = attribute.Values.ToDictionary(v => v.Id, v => v.Key);
        IReadOnlyList<string> KeysOf(int[] ids) => [.. ids.Select(id => translation.ValueOf(id) is { } value && keys.TryGetValue(value, out var key) ? key : "(retired)")];
        return new LabelMatch(join, "m.value_ids, m.source, m.confidence",
        [
            new NpgsqlParameter<int[]>("attributes", [.. translation.SourcesOf(attribute.Id)]),
            Nullable("values", NpgsqlDbType.Array | NpgsqlDbType.Integer, values),
            Nullable("origin", NpgsqlDbType.Integer, (int?)filter.Origin),
        ], KeysOf);
    }

    private static NpgsqlParameter Nullable(string name, NpgsqlDbType type, object? value) => new(name, type) { Value = value ?? DBNull.Value };
}

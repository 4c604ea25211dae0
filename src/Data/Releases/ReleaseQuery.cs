using System.Globalization;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// A release filter resolved against the database (taxonomy loaded, round numbers and attribute keys turned into
/// ids) and written as SQL. The SQL carries its values inline, because COPY takes no bind parameters; every value
/// is a number or a timestamp formatted here, never text from a request.
/// </summary>
public sealed class ReleaseQuery
{
    /// <summary>The labels of image <c>i</c> in the release's taxonomy version (<see cref="LabelsSql"/>).</summary>
    private readonly string _labels;

    private ReleaseQuery(TaxonomyIndex taxonomy, string labels, string where)
    {
        Taxonomy = taxonomy;
        _labels = labels;
        Where = where;
    }

    public TaxonomyIndex Taxonomy { get; }

    /// <summary>The images' condition, over alias <c>i</c>.</summary>
    public string Where { get; }

    /// <summary>
    /// The labels of image <c>i</c> in the translation's target version: columns attribute_id, value_ids, source,
    /// confidence and model_version_id, in the version's ids. Labels made under other versions count by key
    /// (<see cref="TaxonomyTranslation"/>); with no other version, the labels table as it is.
    /// </summary>
    private static string LabelsSql(TaxonomyTranslation translation)
    {
        if (translation.IsIdentity)
            return $"""
                SELECT l.attribute_id, l.value_ids, l.source, l.confidence, l.model_version_id
                FROM labels l WHERE l.image_id = i.id AND l.attribute_id = ANY({ArrayLiteral(translation.SourceAttributeIds)})
                """;
        var (attributes, versions, values) = translation.Lookups();
        var (attributeOf, versionOf, valueOf) = ($"({ArrayLiteral(attributes)})", $"({ArrayLiteral(versions)})", $"({ArrayLiteral(values)})");
        return $"""
            SELECT DISTINCT ON (t.attribute_id) t.attribute_id, t.value_ids, t.source, t.confidence, t.model_version_id
            FROM (SELECT {attributeOf}[l.attribute_id] AS attribute_id, {versionOf}[l.attribute_id] AS version,
                         {TaxonomyTranslation.ValuesSql("l.value_ids", valueOf)} AS value_ids,
                         l.value_ids AS given, l.source, l.confidence, l.model_version_id
                  FROM labels l WHERE l.image_id = i.id AND l.attribute_id = ANY({ArrayLiteral(translation.SourceAttributeIds)})) t
            WHERE cardinality(t.value_ids) = cardinality(t.given)
            ORDER BY t.attribute_id, t.version DESC
            """;
    }

    /// <summary>
    /// One row per image, in id order (so a second build writes the same bytes): the image's columns, then its
    /// labels flattened to one entry per value (attribute, value, source, confidence, model), attributes ascending.
    /// </summary>
    public string RowsSql(int? limit = null) => $"""
        SELECT i.id, i.sha256, i.width, i.height, i.format, i.original_key, i.parsing_map_key, i.round_id,
               l.attribute_ids, l.value_ids, l.sources, l.confidences, l.model_version_ids
        FROM images i
        CROSS JOIN LATERAL (
            SELECT array_agg(l.attribute_id ORDER BY l.attribute_id, v.o) AS attribute_ids,
                   array_agg(v.value_id ORDER BY l.attribute_id, v.o) AS value_ids,
                   array_agg(l.source ORDER BY l.attribute_id, v.o) AS sources,
                   array_agg(l.confidence ORDER BY l.attribute_id, v.o) AS confidences,
                   array_agg(l.model_version_id ORDER BY l.attribute_id, v.o) AS model_version_ids
            FROM ({_labels}) l
            LEFT JOIN LATERAL unnest(l.value_ids) WITH ORDINALITY AS v(value_id, o) ON true) l
        WHERE {Where}
        ORDER BY i.id{(limit is { } n ? $" LIMIT {n}" : "")}
        """;

    /// <summary>How many images and labels the rows hold (the labels <see cref="ReleaseRows"/> leaves out of absent garments not counted).</summary>
    public string CountSql => $"""
        SELECT count(*), coalesce(sum((SELECT count(*) FROM ({_labels}) l){AbsentGarmentPartsSql()}), 0)::bigint
        FROM images i WHERE {Where}
        """;

    private string AbsentGarmentPartsSql()
    {
        var garments = AbsentGarment.Of(Taxonomy.Version);
        if (garments.Count == 0) return "";
        var values = string.Join(", ", garments.Select(g => $"({g.TypeId}, {ArrayLiteral(g.AbsentValueIds)}, {ArrayLiteral(g.PartIds)})"));
        return $"""

             - (SELECT count(*) FROM ({_labels}) t JOIN (VALUES {values}) g(type_id, absent, parts) ON g.type_id = t.attribute_id
                JOIN ({_labels}) p ON p.attribute_id = ANY (g.parts)
                WHERE t.value_ids && g.absent)
            """;
    }

    /// <summary>Checks the spec and resolves it; a bad spec throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static async Task<ReleaseQuery> ResolveAsync(AnnotateDbContext db, TaxonomyStore taxonomies, ReleaseSpec spec, CancellationToken cancellationToken)
    {
        Validate(spec);
        var filter = spec.Filter;
        TaxonomyVersion version;
        try
        {
            version = filter.TaxonomyVersionId is { } id ? await taxonomies.GetAsync(id, cancellationToken) : await taxonomies.GetActiveAsync(cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            throw new ArgumentException($"Taxonomy version {filter.TaxonomyVersionId} does not exist.");
        }
        var translation = await taxonomies.IntoAsync(version.Id, cancellationToken);
        var taxonomy = translation.Target;
        var labels = LabelsSql(translation);

        var required = filter.RequiredAttributes.Select(key => taxonomy.Find(key)?.Id
            ?? throw new ArgumentException($"Required attribute '{key}' is not in taxonomy version {version.Number} (use group.attribute keys).")).ToList();

        var roundIds = new List<int>();
        foreach (var number in filter.Rounds.Distinct())
            roundIds.Add(await db.Rounds.Where(r => r.Number == number).Select(r => (int?)r.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new ArgumentException($"Round {number} does not exist."));

        var flags = ImageFlags.None;
        foreach (var name in filter.ExcludedFlags)
            flags |= Enum.TryParse<ImageFlags>(name, ignoreCase: true, out var flag) && flag != ImageFlags.None
                ? flag
                : throw new ArgumentException($"'{name}' is not an image flag; flags are {string.Join(", ", Enum.GetNames<ImageFlags>().Skip(1))}.");

        var conditions = new List<string>
        {
            filter.VerifiedOnly ? $"i.status = {(short)ImageStatus.Verified}" : $"i.status IN ({(short)ImageStatus.PendingReview}, {(short)ImageStatus.Verified})",
        };
        if (flags != ImageFlags.None) conditions.Add($"(i.flags & {(short)flags}) = 0");
        if (filter.MinWidth > 0) conditions.Add($"i.width >= {filter.MinWidth}");
        if (filter.MinHeight > 0) conditions.Add($"i.height >= {filter.MinHeight}");
        if (roundIds.Count > 0) conditions.Add($"i.round_id = ANY({ArrayLiteral(roundIds)})");
        if (filter.IngestedFrom is { } from) conditions.Add($"i.created_at >= {TimestampLiteral(from)}");
        if (filter.IngestedBefore is { } before) conditions.Add($"i.created_at < {TimestampLiteral(before)}");
        if (required.Count > 0)
            conditions.Add($"(SELECT count(*) FROM ({labels}) r WHERE r.attribute_id = ANY({ArrayLiteral(required)})) = {required.Count}");
        // An image without a single label of the version (one an annotator completed as it was) has an empty caption,
        // nothing a training learns from: it is left out, unless flagged (a release that keeps flagged images wants them).
        conditions.Add($"(i.flags <> 0 OR EXISTS ({labels}))");

        return new ReleaseQuery(taxonomy, labels, string.Join(" AND ", conditions));
    }

    private static void Validate(ReleaseSpec spec)
    {
        var f = spec.Filter;
        if (f.MinWidth < 0 || f.MinHeight < 0) throw new ArgumentException("Minimum width and height cannot be negative.");
        if (f.IngestedFrom is { } from && f.IngestedBefore is { } before && before <= from)
            throw new ArgumentException("The date range is empty: 'ingested before' must come after 'ingested from'.");
        var s = spec.Splits;
        if (s.Validation is < 0 or > 1 || s.Test is < 0 or > 1 || s.Validation + s.Test > 1)
            throw new ArgumentException("Split shares must lie between 0 and 1, and validation plus test at most 1.");
        if (spec.Formats.Count == 0) throw new ArgumentException($"Choose at least one format: {string.Join(", ", ReleaseFormats.All)}.");
        foreach (var format in spec.Formats.Where(f => !ReleaseFormats.All.Contains(f)))
            throw new ArgumentException($"Unknown format '{format}'; formats are {string.Join(", ", ReleaseFormats.All)}.");
        if (spec.ShardBytes is < 1 << 16 or > 1L << 40) throw new ArgumentException("Shard size must be between 64 KB and 1 TB.");
    }

    private static string ArrayLiteral(IEnumerable<int> ids) => $"'{{{string.Join(",", ids)}}}'::int[]";

    private static string TimestampLiteral(DateTimeOffset at) => $"'{at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)}'::timestamptz";
}

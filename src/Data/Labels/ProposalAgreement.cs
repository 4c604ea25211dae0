using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.Data.Labels;

/// <summary>
/// People's labels set against a captioner's answers, by key. Labels are made in the taxonomy version active when
/// people gave them, proposals in the version the captioner was trained on, and a change to the taxonomy gives every
/// attribute and value new ids: matched by id, every review made after a change (and, read in the new version's ids,
/// every one made before it) would stop measuring the captioner until the next one was trained.
/// </summary>
public sealed class ProposalAgreement
{
    private readonly int[] _attributeOf, _versionOf, _valueOf, _modelAttributeOf;

    private ProposalAgreement(TaxonomyTranslation into, TaxonomyTranslation intoModel)
    {
        Target = into.Target;
        (_attributeOf, _versionOf, _valueOf) = into.Lookups();
        _modelAttributeOf = intoModel.Lookups().Attributes;
    }

    /// <summary>The version whose attribute ids the rows carry.</summary>
    public TaxonomyIndex Target { get; }

    /// <summary>Labels read in <paramref name="target"/>'s terms, against the proposals of a captioner trained on <paramref name="modelTaxonomyVersionId"/>.</summary>
    public static async Task<ProposalAgreement> CreateAsync(TaxonomyStore store, TaxonomyVersion target, int modelTaxonomyVersionId, CancellationToken cancellationToken) =>
        new(await TaxonomyTranslation.IntoAsync(store, target, cancellationToken),
            await TaxonomyTranslation.IntoAsync(store, await store.GetAsync(modelTaxonomyVersionId, cancellationToken), cancellationToken));

    /// <summary>
    /// SQL for one row per image and attribute of the target (the newest version's label where there are several) that
    /// people labelled (sources 2 and 5) in a review task <c>t</c> matching <paramref name="reviews"/> (a condition on
    /// <c>t</c> and the label <c>l</c>), and that the model <c>@model</c> proposed for: <c>attribute_id</c> in the
    /// target's ids, the proposal's <c>confidence</c>, and whether it <c>agrees</c>. An answer with a value the target
    /// retired is no answer of it, as routing reads it.
    /// </summary>
    public static string RowsSql(string reviews) => $$"""
        SELECT m.attribute_id, p.confidence, p.value_ids = m.value_ids AS agrees
        FROM (SELECT DISTINCT ON (l.image_id, (@attribute_of)[l.attribute_id]) l.image_id, (@attribute_of)[l.attribute_id] AS attribute_id,
                     (@model_attribute_of)[l.attribute_id] AS model_attribute_id, {{ValuesSql("l.value_ids")}} AS value_ids, l.value_ids AS given
              FROM review_tasks t
              JOIN labels l ON l.image_id = t.image_id AND l.source IN (2, 5) AND (@attribute_of)[l.attribute_id] <> 0
              WHERE {{reviews}}
              ORDER BY l.image_id, (@attribute_of)[l.attribute_id], (@version_of)[l.attribute_id] DESC) m
        JOIN LATERAL (SELECT {{ValuesSql("p.value_ids")}} AS value_ids, p.value_ids AS given, p.confidence
                      FROM label_proposals p
                      WHERE p.image_id = m.image_id AND p.attribute_id = m.model_attribute_id AND p.model_version_id = @model
                      ORDER BY p.created_at DESC LIMIT 1) p ON true
        WHERE cardinality(m.value_ids) = cardinality(m.given) AND cardinality(p.value_ids) = cardinality(p.given)
        """;

    /// <summary>SQL: the target's attribute id of <paramref name="attributeId"/>, of any version (0 where the target lacks it).</summary>
    public static string AttributeSql(string attributeId) => $"(@attribute_of)[{attributeId}]";

    /// <summary>SQL: <paramref name="attributeIds"/> (an int[] of any version's attribute ids) in the target's ids.</summary>
    public static string AttributesSql(string attributeIds) => $"ARRAY(SELECT (@attribute_of)[a] FROM unnest({attributeIds}) a)";

    /// <summary>SQL: the model's attribute id of the key of <paramref name="attributeId"/>, of any version.</summary>
    public static string ModelAttributeSql(string attributeId) => $"(@model_attribute_of)[{attributeId}]";

    /// <summary>SQL: the answer <paramref name="valueIds"/>, of any version, in the target's value ids.</summary>
    public static string ValuesSql(string valueIds) => TaxonomyTranslation.ValuesSql(valueIds, "(@value_of)");

    /// <summary>The lookups <see cref="RowsSql"/> reads, for a command that also sets <c>@model</c>.</summary>
    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        parameters.AddWithValue("attribute_of", _attributeOf);
        parameters.AddWithValue("version_of", _versionOf);
        parameters.AddWithValue("value_of", _valueOf);
        parameters.AddWithValue("model_attribute_of", _modelAttributeOf);
    }
}

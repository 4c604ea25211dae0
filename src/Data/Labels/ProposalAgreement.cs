using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.Data.Labels;

/// <summary>
/// People's labels set against a captioner's answers, by key. Labels are made in the taxonomy version active when
/// people gave them, and so are proposals (pre-annotation writes a captioner's answers in the version active when it
/// runs, which need not be the one it was trained on); a change to the taxonomy gives every attribute and value new
/// ids: matched by id, every review made after a change would stop measuring the captioner until the next one was
/// trained, and so would every proposal made after it.
/// </summary>
public sealed class ProposalAgreement
{
    private readonly TaxonomyTranslation _into;
    private readonly int[,] _sourcesOf;

    private ProposalAgreement(TaxonomyTranslation into)
    {
        _into = into;
        _sourcesOf = into.SourcesLookup();
    }

    /// <summary>Labels and proposals of every version read in the active version's terms.</summary>
    public static async Task<ProposalAgreement> CreateAsync(TaxonomyStore store, CancellationToken cancellationToken) =>
        new(await store.IntoActiveAsync(cancellationToken));

    /// <summary>
    /// SQL for one row per image and attribute of the target (the newest version's label where there are several) that
    /// people labelled (sources 2 and 5) in a review task <c>t</c> matching <paramref name="reviews"/> (a condition on
    /// <c>t</c> and the label <c>l</c>), and that the model <c>@model</c> proposed for: <c>attribute_id</c> in the
    /// target's ids, the proposal's <c>confidence</c>, and whether it <c>agrees</c>. An answer with a value the target
    /// retired is no answer of it, as routing reads it.
    /// </summary>
    public static string RowsSql(string reviews) => $$"""
        SELECT m.attribute_id, p.confidence, p.value_ids = m.value_ids AS agrees
        FROM (SELECT DISTINCT ON (l.image_id, {{Attribute("l")}}) l.image_id, {{Attribute("l")}} AS attribute_id,
                     {{TaxonomyTranslation.ValuesSql("l.value_ids")}} AS value_ids, l.value_ids AS given
              FROM review_tasks t
              JOIN labels l ON l.image_id = t.image_id AND l.source IN (2, 5) AND {{Attribute("l")}} <> 0
              WHERE {{reviews}}
              ORDER BY l.image_id, {{Attribute("l")}}, {{TaxonomyTranslation.VersionSql("l.attribute_id")}} DESC) m
        JOIN LATERAL (SELECT {{TaxonomyTranslation.ValuesSql("p.value_ids")}} AS value_ids, p.value_ids AS given, p.confidence
                      FROM label_proposals p
                      WHERE p.image_id = m.image_id AND p.attribute_id = ANY ({{ProposalAttributesSql("m.attribute_id")}}) AND p.model_version_id = @model
                      ORDER BY p.created_at DESC LIMIT 1) p ON true
        WHERE cardinality(m.value_ids) = cardinality(m.given) AND cardinality(p.value_ids) = cardinality(p.given)
        """;

    private static string Attribute(string label) => TaxonomyTranslation.AttributeSql($"{label}.attribute_id");

    /// <summary>
    /// SQL: every attribute id, of any version, of the key of the active version's attribute <paramref name="targetAttributeId"/>
    /// (none where it is 0), as an array a proposal's id is looked up in through the index of an image's proposals.
    /// </summary>
    public static string ProposalAttributesSql(string targetAttributeId) => $"(@sources_of)[{targetAttributeId}:{targetAttributeId}][:]";

    /// <summary>The lookups <see cref="RowsSql"/> and <see cref="ProposalAttributesSql"/> read, for a command that also sets <c>@model</c>.</summary>
    public void AddParameters(NpgsqlParameterCollection parameters)
    {
        _into.AddLookups(parameters);
        parameters.AddWithValue("sources_of", _sourcesOf);
    }
}

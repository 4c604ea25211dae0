using Npgsql;

namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// Labels and proposals of every taxonomy version read in one version's terms, by attribute and value key: a change
/// to the taxonomy (a value added, a phrase reworded) makes a new version with new ids, and the labels people made
/// under the old one must still count. An attribute the target lacks is left out, and so is an answer with a value
/// the target lacks (part of a multiple-choice answer is a different answer). Where one image has labels of the same
/// attribute under several versions, the newest version's is the one read.
/// </summary>
public sealed class TaxonomyTranslation
{
    private readonly Dictionary<int, (AttributeDefinition To, int Version)> _attributes = [];
    private readonly Dictionary<int, int> _values = [];

    private TaxonomyTranslation(TaxonomyIndex target, IEnumerable<TaxonomyVersion> versions)
    {
        Target = target;
        foreach (var version in versions)
        {
            var from = new TaxonomyIndex(version);
            foreach (var attribute in from.Attributes)
            {
                if (target.Find(from.KeyOf(attribute.Id)) is not { } to) continue;
                _attributes[attribute.Id] = (to, version.Number);
                foreach (var value in attribute.Values)
                    if (TaxonomyIndex.FindValue(to, value.Key) is { } toValue) _values[value.Id] = toValue.Id;
            }
        }
    }

    public TaxonomyIndex Target { get; }

    /// <summary>Into <paramref name="target"/>'s terms, from every version the store holds (callers ask the store, which keeps it: <see cref="TaxonomyStore.IntoAsync(int, CancellationToken)"/>).</summary>
    internal static async Task<TaxonomyTranslation> IntoAsync(TaxonomyStore store, TaxonomyVersion target, CancellationToken cancellationToken)
    {
        var versions = new List<TaxonomyVersion>();
        foreach (var version in await store.ListAsync(cancellationToken)) versions.Add(await store.GetAsync(version.Id, cancellationToken));
        return new TaxonomyTranslation(new TaxonomyIndex(target), versions);
    }

    /// <summary>True when only the target's own attributes are read: no other version shares a key with it.</summary>
    public bool IsIdentity => _attributes.All(a => a.Key == a.Value.To.Id);

    /// <summary>Every attribute id, of any version, whose labels are read.</summary>
    public IEnumerable<int> SourceAttributeIds => _attributes.Keys.Order();

    /// <summary>The target's attribute of that key; null when the target lacks it.</summary>
    public int? AttributeOf(int attributeId) => _attributes.TryGetValue(attributeId, out var to) ? to.To.Id : null;

    /// <summary>Every attribute id, of any version, read as the target's attribute <paramref name="targetAttributeId"/>.</summary>
    public IEnumerable<int> SourcesOf(int targetAttributeId) =>
        _attributes.Where(a => a.Value.To.Id == targetAttributeId).Select(a => a.Key).Order();

    /// <summary>The target's value of that key; null when the target lacks it.</summary>
    public int? ValueOf(int valueId) => _values.TryGetValue(valueId, out var to) ? to : null;

    /// <summary>Every value id, of any version, read as the target's value <paramref name="targetValueId"/>.</summary>
    public IEnumerable<int> SourceValuesOf(int targetValueId) => _values.Where(v => v.Value == targetValueId).Select(v => v.Key).Order();

    /// <summary>An answer in the target's ids; null when the target lacks its attribute or one of its values.</summary>
    public (int AttributeId, int[] ValueIds)? Translate(int attributeId, int[] valueIds)
    {
        if (!_attributes.TryGetValue(attributeId, out var to)) return null;
        var values = new int[valueIds.Length];
        for (var i = 0; i < valueIds.Length; i++)
            if (!_values.TryGetValue(valueIds[i], out values[i])) return null;
        return (to.To.Id, values);
    }

    /// <summary>
    /// SQL for the target's value ids of the answer <paramref name="valueIds"/> (an int[] expression), through the values
    /// lookup <paramref name="valueOf"/> (<see cref="Lookups"/>, as a literal or a parameter); values the target lacks
    /// are left out, so an answer whose cardinality changed is one the target cannot hold. A single value (most answers)
    /// is looked up without a subquery: half the cost of the general form.
    /// </summary>
    public static string ValuesSql(string valueIds, string valueOf) => $$"""
        CASE WHEN cardinality({{valueIds}}) = 1 THEN array_remove(ARRAY[coalesce({{valueOf}}[{{valueIds}}[1]], 0)], 0)
             ELSE ARRAY(SELECT {{valueOf}}[u.v] FROM unnest({{valueIds}}) WITH ORDINALITY AS u(v, o) WHERE {{valueOf}}[u.v] <> 0 ORDER BY u.o) END
        """;

    /// <summary>
    /// The <see cref="Lookups"/> as the parameters <c>@attribute_of</c>, <c>@version_of</c> and <c>@value_of</c>, which
    /// <see cref="AttributeSql"/>, <see cref="VersionSql"/> and <see cref="ValuesSql(string)"/> read.
    /// </summary>
    public void AddLookups(NpgsqlParameterCollection parameters)
    {
        var (attributes, versions, values) = Lookups();
        parameters.AddWithValue("attribute_of", attributes);
        parameters.AddWithValue("version_of", versions);
        parameters.AddWithValue("value_of", values);
    }

    /// <summary>SQL: the target's attribute id of <paramref name="attributeId"/>, of any version (0 where the target lacks it).</summary>
    public static string AttributeSql(string attributeId) => $"(@attribute_of)[{attributeId}]";

    /// <summary>SQL: the number of the version <paramref name="attributeId"/> was made under (the newest answer of a key wins).</summary>
    public static string VersionSql(string attributeId) => $"(@version_of)[{attributeId}]";

    /// <summary>SQL: the answer <paramref name="valueIds"/>, of any version, in the target's value ids (see <see cref="ValuesSql(string, string)"/>).</summary>
    public static string ValuesSql(string valueIds) => ValuesSql(valueIds, "(@value_of)");

    /// <summary>
    /// The inverse of the attributes lookup, for SQL: row <c>t</c> (from 1, as PostgreSQL counts) holds every attribute
    /// id, of any version, read as the target's attribute <c>t</c>, padded with 0.
    /// </summary>
    public int[,] SourcesLookup()
    {
        var byTarget = _attributes.GroupBy(a => a.Value.To.Id, a => a.Key).ToDictionary(g => g.Key, g => g.Order().ToArray());
        var lookup = new int[byTarget.Keys.DefaultIfEmpty().Max(), Math.Max(1, byTarget.Values.Select(s => s.Length).DefaultIfEmpty().Max())];
        foreach (var (target, sources) in byTarget)
            for (var i = 0; i < sources.Length; i++) lookup[target - 1, i] = sources[i];
        return lookup;
    }

    /// <summary>
    /// Lookups for SQL, indexed by a source id from 1 (PostgreSQL's arrays start there): the target attribute of each
    /// attribute, the version number it was made under (newest wins), and the target value of each value; 0 where
    /// none. They hold no NULL, so reading one element is a constant-time offset.
    /// </summary>
    public (int[] Attributes, int[] Versions, int[] Values) Lookups()
    {
        var attributes = new int[_attributes.Keys.DefaultIfEmpty().Max()];
        var versions = new int[attributes.Length];
        foreach (var (from, (to, version)) in _attributes) (attributes[from - 1], versions[from - 1]) = (to.Id, version);
        var values = new int[_values.Keys.DefaultIfEmpty().Max()];
        foreach (var (from, to) in _values) values[from - 1] = to;
        return (attributes, versions, values);
    }
}

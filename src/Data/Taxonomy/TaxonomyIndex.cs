namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>
/// Lookups over one loaded taxonomy version: attributes by id or by "group.attribute" key, values by key.
/// Built once per version (versions never change) and shared. Keys are found whatever their case, since every key is
/// lower case (see <see cref="TaxonomyValidation"/>): "Hair.Color" in a script or a label file means hair.color.
/// </summary>
public sealed class TaxonomyIndex
{
    private readonly Dictionary<string, AttributeDefinition> _byKey;
    private readonly Dictionary<int, AttributeDefinition> _byId;
    private readonly Dictionary<int, AttributeGroup> _groupOf;

    public TaxonomyIndex(TaxonomyVersion version)
    {
        Version = version;
        var attributes = version.Groups.SelectMany(g => g.Attributes.Select(a => (Group: g, Attribute: a))).ToList();
        _byKey = attributes.ToDictionary(x => KeyOf(x.Group, x.Attribute), x => x.Attribute, StringComparer.OrdinalIgnoreCase);
        _byId = attributes.ToDictionary(x => x.Attribute.Id, x => x.Attribute);
        _groupOf = attributes.ToDictionary(x => x.Attribute.Id, x => x.Group);
    }

    public TaxonomyVersion Version { get; }

    public IEnumerable<AttributeDefinition> Attributes => _byId.Values.OrderBy(a => GroupOf(a.Id).Position).ThenBy(a => a.Position);

    public static string KeyOf(AttributeGroup group, AttributeDefinition attribute) => $"{group.Key}.{attribute.Key}";

    public string KeyOf(int attributeId) => KeyOf(_groupOf[attributeId], _byId[attributeId]);

    /// <summary>The attribute's key, or "attribute 12" for an id this version does not have (one from another version), as messages name it.</summary>
    public string NameOf(int attributeId) => _byId.ContainsKey(attributeId) ? KeyOf(attributeId) : $"attribute {attributeId}";

    public AttributeDefinition? Find(string groupDotAttribute) => _byKey.GetValueOrDefault(groupDotAttribute);

    public AttributeDefinition? Find(int attributeId) => _byId.GetValueOrDefault(attributeId);

    public AttributeGroup GroupOf(int attributeId) => _groupOf[attributeId];

    public static AttributeValue? FindValue(AttributeDefinition attribute, string valueKey) =>
        attribute.Values.FirstOrDefault(v => string.Equals(v.Key, valueKey, StringComparison.OrdinalIgnoreCase));

    /// <summary>The keys of <paramref name="valueIds"/>, in the attribute's order (ids it does not have are left out).</summary>
    public static IReadOnlyList<string> ValueKeys(AttributeDefinition attribute, IReadOnlyCollection<int> valueIds) =>
        attribute.Values.Where(v => valueIds.Contains(v.Id)).OrderBy(v => v.Position).Select(v => v.Key).ToList();

    /// <summary>Why <paramref name="key"/> names no attribute of this version, as a refusal says it.</summary>
    public string UnknownAttribute(string? key) =>
        $"{(key is null ? "No attribute named" : $"Unknown attribute \"{key}\"")}: use \"group.attribute\" keys of taxonomy version {Version.Number}.";

    /// <summary>Why <paramref name="valueKey"/> is not a value of the attribute keyed <paramref name="attributeKey"/>, naming its values in order.</summary>
    public static string NotAValue(string? valueKey, string attributeKey, AttributeDefinition attribute) =>
        $"{(valueKey is null ? "null" : $"\"{valueKey}\"")} is not a value of {attributeKey} (values: {string.Join(", ", attribute.Values.OrderBy(v => v.Position).Select(v => v.Key))}).";
}

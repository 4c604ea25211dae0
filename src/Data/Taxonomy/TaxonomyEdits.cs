namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>The taxonomy editor's changes, as new specs: every change yields a new version; nothing is edited in place.</summary>
public static class TaxonomyEdits
{
    public static TaxonomySpec AddValue(TaxonomySpec spec, string attributeKey, string valueKey, string phrase) =>
        ReplaceValues(spec, attributeKey, values => [.. values, new ValueSpec(valueKey.Trim(), phrase.Trim())]);

    /// <summary>The attribute <paramref name="attributeKey"/> ("group.attribute") with the values <paramref name="change"/> makes of its own.</summary>
    public static TaxonomySpec ReplaceValues(TaxonomySpec spec, string attributeKey, Func<IReadOnlyList<ValueSpec>, IReadOnlyList<ValueSpec>> change)
    {
        var (groupKey, key) = Split(attributeKey);
        return Replace(spec, groupKey, group => group.Attributes.Any(a => a.Key == key)
            ? group with { Attributes = group.Attributes.Select(a => a.Key != key ? a : a with { Values = change(a.Values) }).ToArray() }
            : throw new InvalidTaxonomyException([$"There is no attribute '{attributeKey}'."]));
    }

    public static TaxonomySpec AddAttribute(TaxonomySpec spec, string groupKey, string key, string name, AttributeKind kind, IEnumerable<string> words) =>
        Replace(spec, groupKey, group =>
        {
            // New adjectives go before the type noun, so captions keep "adjectives noun".
            var attribute = new AttributeSpec(key.Trim(), name.Trim(), kind, IsTypeNoun: false,
                words.Select(w => w.Trim()).Where(w => w.Length > 0).Select(w => new ValueSpec(w.Replace(' ', '_').Replace('-', '_').ToLowerInvariant(), w)).ToArray());
            var nounAt = group.Attributes.ToList().FindIndex(a => a.IsTypeNoun);
            var attributes = group.Attributes.ToList();
            attributes.Insert(nounAt < 0 ? attributes.Count : nounAt, attribute);
            return group with { Attributes = attributes };
        });

    private static TaxonomySpec Replace(TaxonomySpec spec, string groupKey, Func<GroupSpec, GroupSpec> change)
    {
        if (spec.Groups.All(g => g.Key != groupKey)) throw new InvalidTaxonomyException([$"There is no group '{groupKey}'."]);
        return spec with { Groups = spec.Groups.Select(g => g.Key == groupKey ? change(g) : g).ToArray() };
    }

    private static (string Group, string Attribute) Split(string attributeKey)
    {
        var parts = attributeKey.Split('.');
        if (parts.Length != 2) throw new InvalidTaxonomyException([$"'{attributeKey}' is not a group.attribute key."]);
        return (parts[0], parts[1]);
    }
}

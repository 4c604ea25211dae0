namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>The taxonomy editor's changes, as new specs: every change yields a new version; nothing is edited in place.</summary>
public static class TaxonomyEdits
{
    public static TaxonomySpec AddValue(TaxonomySpec spec, string attributeKey, string valueKey, string phrase) =>
        ReplaceValues(spec, attributeKey, values => [.. values, new ValueSpec(valueKey.Trim(), Words(phrase))]);

    /// <summary>New caption words for a value; its key, and so every label of it, stays.</summary>
    public static TaxonomySpec RewordValue(TaxonomySpec spec, string attributeKey, string valueKey, string phrase) =>
        ReplaceValues(spec, attributeKey, values =>
        {
            var value = ValueOf(values, attributeKey, valueKey);
            return values.Select(v => v == value ? v with { Phrase = Words(phrase) } : v).ToArray();
        });

    /// <summary>
    /// The attribute without the value: the new version's labels, releases and captioner no longer have it (labels
    /// of it stay under the versions that had it). The "none" that says a group is absent cannot be retired.
    /// </summary>
    public static TaxonomySpec RetireValue(TaxonomySpec spec, string attributeKey, string valueKey) =>
        ReplaceValues(spec, attributeKey, values =>
        {
            var value = ValueOf(values, attributeKey, valueKey);
            if (value.MarksAbsent)
                throw new InvalidTaxonomyException([$"'{attributeKey}.{valueKey}' says the group is not in the picture; it cannot be retired."]);
            return values.Where(v => v != value).ToArray();
        });

    /// <summary>The attribute <paramref name="attributeKey"/> ("group.attribute") with the values <paramref name="change"/> makes of its own.</summary>
    public static TaxonomySpec ReplaceValues(TaxonomySpec spec, string attributeKey, Func<IReadOnlyList<ValueSpec>, IReadOnlyList<ValueSpec>> change) =>
        ReplaceAttribute(spec, attributeKey, attribute => attribute with { Values = change(attribute.Values) });

    /// <summary>
    /// The taxonomy without the attribute: the new version's reviews, releases and captioner no longer have it (its
    /// labels stay under the versions that had it). A group's last attribute cannot go (the group would say nothing).
    /// </summary>
    public static TaxonomySpec RetireAttribute(TaxonomySpec spec, string attributeKey) => ReplaceAttribute(spec, attributeKey, _ => null);

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

    /// <summary>The attribute <paramref name="attributeKey"/>, which must be there, as <paramref name="change"/> makes it (null: without it).</summary>
    private static TaxonomySpec ReplaceAttribute(TaxonomySpec spec, string attributeKey, Func<AttributeSpec, AttributeSpec?> change)
    {
        var (groupKey, key) = Split(attributeKey);
        return Replace(spec, groupKey, group => group.Attributes.Any(a => a.Key == key)
            ? group with { Attributes = group.Attributes.Select(a => a.Key == key ? change(a) : a).OfType<AttributeSpec>().ToArray() }
            : throw new InvalidTaxonomyException([$"There is no attribute '{attributeKey}'."]));
    }

    private static ValueSpec ValueOf(IReadOnlyList<ValueSpec> values, string attributeKey, string valueKey) =>
        values.FirstOrDefault(v => v.Key == valueKey) ?? throw new InvalidTaxonomyException([$"'{attributeKey}' has no value '{valueKey}'."]);

    private static string Words(string phrase) => phrase.Trim() is { Length: > 0 } words
        ? words
        : throw new InvalidTaxonomyException(["Caption words cannot be empty: they are what captions say for the value."]);

    private static (string Group, string Attribute) Split(string attributeKey)
    {
        var parts = attributeKey.Split('.');
        if (parts.Length != 2) throw new InvalidTaxonomyException([$"'{attributeKey}' is not a group.attribute key."]);
        return (parts[0], parts[1]);
    }
}

namespace AnnotateAnyone.Data.Taxonomy;

/// <summary>Rules every stored taxonomy obeys, so captions, model heads and masks can rely on them.</summary>
public static class TaxonomyValidation
{
    public static IReadOnlyList<string> Problems(TaxonomySpec spec)
    {
        var problems = new List<string>();
        if (spec.Groups.Count == 0) problems.Add("A taxonomy needs at least one group.");
        Duplicates(spec.Groups.Select(g => g.Key), "group", problems);
        foreach (var group in spec.Groups)
        {
            if (!IsKey(group.Key)) problems.Add($"Group key '{group.Key}' must be lower-case letters, digits and '_'.");
            if (group.Attributes.Count == 0) problems.Add($"Group '{group.Key}' has no attributes.");
            if (group.Attributes.Count(a => a.IsTypeNoun) > 1) problems.Add($"Group '{group.Key}' has more than one type-noun attribute.");
            if (group.ParsingClasses.Count == 0) problems.Add($"Group '{group.Key}' covers no parsing class.");
            Duplicates(group.Attributes.Select(a => a.Key), $"attribute in group '{group.Key}'", problems);
            foreach (var attribute in group.Attributes)
            {
                if (!IsKey(attribute.Key)) problems.Add($"Attribute key '{group.Key}.{attribute.Key}' must be lower-case letters, digits and '_'.");
                if (attribute.Values.Count(v => !v.MarksAbsent) == 0) problems.Add($"Attribute '{group.Key}.{attribute.Key}' has no values.");
                Duplicates(attribute.Values.Select(v => v.Key), $"value of '{group.Key}.{attribute.Key}'", problems);
                foreach (var value in attribute.Values.Where(v => !IsKey(v.Key)))
                    problems.Add($"Value key '{group.Key}.{attribute.Key}.{value.Key}' must be lower-case letters, digits and '_'.");
            }
        }
        return problems;
    }

    public static void ThrowIfInvalid(TaxonomySpec spec)
    {
        var problems = Problems(spec);
        if (problems.Count > 0) throw new InvalidTaxonomyException(problems);
    }

    private static bool IsKey(string key) =>
        key.Length is > 0 and <= 64 && key.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_');

    private static void Duplicates(IEnumerable<string> keys, string what, List<string> problems)
    {
        foreach (var key in keys.GroupBy(k => k).Where(g => g.Count() > 1).Select(g => g.Key))
            problems.Add($"Duplicate {what} key '{key}'.");
    }
}

public sealed class InvalidTaxonomyException(IReadOnlyList<string> problems)
    : Exception("The taxonomy is not valid: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

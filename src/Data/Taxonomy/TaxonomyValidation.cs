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
            if (string.IsNullOrWhiteSpace(group.Name)) problems.Add($"Group '{group.Key}' has no name.");
            Text(group.Name, $"Group '{group.Key}''s name", problems);
            Text(group.Noun, $"Group '{group.Key}''s noun", problems);
            if (!Enum.IsDefined(group.Order)) problems.Add($"Group '{group.Key}' has order {(short)group.Order}: use {Choices<GroupOrder>()}.");
            // Stored as numbers, so a number outside the scheme reads without a word; masks and region reads need a real class.
            foreach (var parsingClass in group.ParsingClasses.Where(c => !Enum.IsDefined(c)))
                problems.Add($"Group '{group.Key}' names parsing class {(short)parsingClass}, which the 18-class ATR scheme does not have (0 to 17).");
            if (group.Attributes.Count == 0) problems.Add($"Group '{group.Key}' has no attributes.");
            if (group.Attributes.Count(a => a.IsTypeNoun) > 1) problems.Add($"Group '{group.Key}' has more than one type-noun attribute.");
            if (group.ParsingClasses.Count == 0) problems.Add($"Group '{group.Key}' covers no parsing class.");
            Duplicates(group.Attributes.Select(a => a.Key), $"attribute in group '{group.Key}'", problems);
            foreach (var attribute in group.Attributes)
            {
                if (!IsKey(attribute.Key)) problems.Add($"Attribute key '{group.Key}.{attribute.Key}' must be lower-case letters, digits and '_'.");
                if (string.IsNullOrWhiteSpace(attribute.Name)) problems.Add($"Attribute '{group.Key}.{attribute.Key}' has no name.");
                Text(attribute.Name, $"Attribute '{group.Key}.{attribute.Key}''s name", problems);
                if (!Enum.IsDefined(attribute.Kind)) problems.Add($"Attribute '{group.Key}.{attribute.Key}' has kind {(short)attribute.Kind}: use {Choices<AttributeKind>()}.");
                if (attribute.Values.Count == 0) problems.Add($"Attribute '{group.Key}.{attribute.Key}' has no values.");
                else if (attribute.Values.All(v => v.MarksAbsent))
                    problems.Add($"Attribute '{group.Key}.{attribute.Key}' has only values that mark the group absent: give it one that describes what is there.");
                Duplicates(attribute.Values.Select(v => v.Key), $"value of '{group.Key}.{attribute.Key}'", problems);
                foreach (var value in attribute.Values.Where(v => !IsKey(v.Key)))
                    problems.Add($"Value key '{group.Key}.{attribute.Key}.{value.Key}' must be lower-case letters, digits and '_'.");
                foreach (var value in attribute.Values)
                    Text(value.Phrase, $"Value '{group.Key}.{attribute.Key}.{value.Key}''s phrase", problems);
            }
        }
        return problems;
    }

    public static void ThrowIfInvalid(TaxonomySpec spec)
    {
        var problems = Problems(spec);
        if (problems.Count > 0) throw new InvalidTaxonomyException(problems);
    }

    /// <summary>"0 (Fixed), 1 (Shuffled) or 2 (Optional)": specs carry these as numbers.</summary>
    private static string Choices<T>() where T : struct, Enum
    {
        var choices = Enum.GetValues<T>().Select(v => $"{Convert.ToInt16(v, System.Globalization.CultureInfo.InvariantCulture)} ({v})").ToList();
        return $"{string.Join(", ", choices[..^1])} or {choices[^1]}";
    }

    /// <summary>
    /// Captions are composed of phrases and nouns, and pages show names on one line: a pasted paragraph would make
    /// captions no text encoder reads whole, and a line break would split a caption's line in text exports.
    /// </summary>
    private const int MaxTextLength = 200;

    private static void Text(string? text, string what, List<string> problems)
    {
        if (text is null) return;
        if (text.Length > MaxTextLength) problems.Add($"{what} is {text.Length:N0} characters long: at most {MaxTextLength}.");
        if (text.Any(char.IsControl)) problems.Add($"{what} holds a line break or another control character.");
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

/// <summary>
/// A new version would say exactly what the active one says: nothing is created (a script posting its taxonomy again,
/// or an edit that changed nothing, would otherwise make versions that differ only in number).
/// </summary>
public sealed class TaxonomyUnchangedException(int activeNumber)
    : Exception($"Version {activeNumber}, the active one, already is this taxonomy: change something to make a new version.");

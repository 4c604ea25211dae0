using System.Text;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Captions;

/// <summary>One group's words inside a caption: where they start and how long they are.</summary>
public sealed record CaptionSpan(string GroupKey, int Start, int Length);

/// <summary>A composed caption, its group spans, and whether it fits the text encoder.</summary>
public sealed record Caption(string Text, IReadOnlyList<CaptionSpan> Spans, int TokenCount, int TokenLimit)
{
    public bool ExceedsTokenLimit => TokenCount > TokenLimit;

    public string TextOf(string groupKey) => Spans.FirstOrDefault(s => s.GroupKey == groupKey) is { } span ? Text.Substring(span.Start, span.Length) : "";
}

/// <summary>
/// Turns labels into a dense caption the way CosmicMan does: the shot phrase first, then each group as its
/// adjectives followed by its type noun ("wavy long brown hair", "a young adult woman"), joined by commas.
/// Deterministic (taxonomy order) for display and export; Daring's shuffling and dropping of groups happens
/// at training time on the spans this keeps. Unknown values are skipped; a garment marked absent drops its group.
/// </summary>
public sealed class CaptionComposer(int tokenLimit = CaptionComposer.StableDiffusionTokenLimit)
{
    /// <summary>CLIP's 77 tokens less its start and end tokens.</summary>
    public const int StableDiffusionTokenLimit = 75;

    /// <summary>
    /// English has one word for a young person of a gender: "a child woman" is "a girl". Taken when a group's last
    /// adjective and its noun read so, whatever taxonomy made them (a lead's rewording simply no longer matches).
    /// </summary>
    private static readonly Dictionary<(string Adjective, string Noun), string> OneWord = new()
    {
        [("child", "woman")] = "girl", [("child", "man")] = "boy", [("child", "person")] = "child",
        [("teenager", "woman")] = "teenage girl", [("teenager", "man")] = "teenage boy", [("teenager", "person")] = "teenager",
    };

    /// <summary>Every phrase a caption of the taxonomy can hold: value phrases, nouns, group names standing in for nouns, and the one-word forms.</summary>
    public static IEnumerable<string> PhrasesOf(TaxonomySpec taxonomy) =>
        taxonomy.Groups.SelectMany(g => g.Attributes.SelectMany(a => a.Values.Select(v => v.Phrase)).Append(g.Noun ?? "").Append(g.Name))
            .Concat(OneWord.Values);

    public Caption Compose(TaxonomyVersion taxonomy, IReadOnlyDictionary<int, int[]> valuesByAttribute) =>
        Compose(taxonomy.Groups.OrderBy(g => g.Position), valuesByAttribute);

    /// <summary>Composes the given groups in the given order (Daring passes them shuffled).</summary>
    public Caption Compose(IEnumerable<AttributeGroup> groups, IReadOnlyDictionary<int, int[]> valuesByAttribute)
    {
        var text = new StringBuilder();
        var spans = new List<CaptionSpan>();
        foreach (var group in groups)
        {
            var phrase = GroupPhrase(group, valuesByAttribute);
            if (phrase is null) continue;
            if (text.Length > 0) text.Append(", ");
            spans.Add(new CaptionSpan(group.Key, text.Length, phrase.Length));
            text.Append(phrase);
        }
        var caption = text.ToString();
        return new Caption(caption, spans, CountTokens(caption), tokenLimit);
    }

    /// <summary>The words of one group, or null when the group says nothing (unknown, or its garment absent).</summary>
    public static string? GroupPhrase(AttributeGroup group, IReadOnlyDictionary<int, int[]> valuesByAttribute)
    {
        // Written without LINQ: a release composes this for every image whose combination of values is new.
        var attributes = InPositionOrder(group.Attributes);
        AttributeDefinition? noun = null;
        foreach (var attribute in attributes)
            if (attribute.IsTypeNoun)
            {
                noun = attribute;
                break;
            }
        var nounValues = noun is null ? [] : Values(noun, valuesByAttribute);
        foreach (var value in nounValues)
            if (value.MarksAbsent) return null;

        var words = new StringBuilder();
        var (lastAdjective, lastStart) = ("", 0);
        foreach (var attribute in attributes)
        {
            if (attribute.IsTypeNoun) continue;
            var adjective = Phrase(Values(attribute, valuesByAttribute));
            if (adjective.Length == 0) continue;
            if (words.Length > 0) words.Append(' ');
            (lastAdjective, lastStart) = (adjective, words.Length);
            words.Append(adjective);
        }
        var nounPhrase = noun is null ? group.Noun ?? "" : Phrase(nounValues);
        if (noun is not null && OneWord.TryGetValue((lastAdjective, nounPhrase), out var oneWord))
        {
            words.Length = Math.Max(0, lastStart - 1);
            nounPhrase = oneWord;
        }
        var hasAdjectives = words.Length > 0;
        if (nounPhrase.Length == 0)
        {
            if (!hasAdjectives) return null;
            nounPhrase = group.Noun ?? group.Name.ToLowerInvariant();
        }
        // A group whose only word is its noun ("a cap") is still worth saying; a fixed noun alone ("hair") is not.
        if (!hasAdjectives && noun is null) return null;

        if (hasAdjectives) words.Append(' ');
        var phrase = words.Append(nounPhrase).ToString();
        return group.WithArticle ? $"{Article(phrase)} {phrase}" : phrase;
    }

    /// <summary>
    /// An estimate of CLIP's BPE tokens: one per word or punctuation mark, and one more per six letters of a long
    /// word (CLIP splits rare long words). It errs on the high side, so a caption it passes fits.
    /// </summary>
    public static int CountTokens(string caption)
    {
        var tokens = 0;
        foreach (var word in caption.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = word.Split('-', StringSplitOptions.RemoveEmptyEntries);
            tokens += parts.Sum(p => 1 + Math.Max(0, (p.TrimEnd(',').Length - 1) / 6)) + (parts.Length - 1) + (word.EndsWith(',') ? 1 : 0);
        }
        return tokens;
    }

    private static List<AttributeDefinition> InPositionOrder(List<AttributeDefinition> attributes)
    {
        for (var i = 1; i < attributes.Count; i++)
            if (attributes[i].Position < attributes[i - 1].Position) return [.. attributes.OrderBy(a => a.Position)];
        return attributes;
    }

    /// <summary>The attribute's values the label holds, in position order.</summary>
    private static List<AttributeValue> Values(AttributeDefinition attribute, IReadOnlyDictionary<int, int[]> valuesByAttribute)
    {
        if (!valuesByAttribute.TryGetValue(attribute.Id, out var ids)) return [];
        var values = new List<AttributeValue>(ids.Length);
        foreach (var value in attribute.Values)
            if (Array.IndexOf(ids, value.Id) >= 0) values.Add(value);
        if (values.Count > 1) values.Sort((a, b) => a.Position.CompareTo(b.Position));
        return values;
    }

    private static string Phrase(List<AttributeValue> values)
    {
        var words = new List<string>(values.Count);
        foreach (var value in values)
            if (value.Phrase.Length > 0) words.Add(value.Phrase);
        return words.Count switch
        {
            0 => "",
            1 => words[0],
            _ => string.Join(", ", words[..^1]) + " and " + words[^1],
        };
    }

    private static string Article(string phrase) => "aeiou".Contains(char.ToLowerInvariant(phrase[0])) ? "an" : "a";
}

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
        var attributes = group.Attributes.OrderBy(a => a.Position).ToList();
        var noun = attributes.FirstOrDefault(a => a.IsTypeNoun);
        var nounValues = noun is null ? [] : Values(noun, valuesByAttribute);
        if (nounValues.Any(v => v.MarksAbsent)) return null;

        var adjectives = attributes.Where(a => !a.IsTypeNoun).Select(a => Phrase(Values(a, valuesByAttribute))).Where(p => p.Length > 0).ToList();
        var nounPhrase = noun is null ? group.Noun ?? "" : Phrase(nounValues);
        if (nounPhrase.Length == 0)
        {
            if (adjectives.Count == 0) return null;
            nounPhrase = group.Noun ?? group.Name.ToLowerInvariant();
        }
        // A group whose only word is its noun ("a cap") is still worth saying; a fixed noun alone ("hair") is not.
        if (adjectives.Count == 0 && noun is null) return null;

        var phrase = string.Join(" ", adjectives.Append(nounPhrase));
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

    private static List<AttributeValue> Values(AttributeDefinition attribute, IReadOnlyDictionary<int, int[]> valuesByAttribute) =>
        valuesByAttribute.TryGetValue(attribute.Id, out var ids)
            ? attribute.Values.Where(v => ids.Contains(v.Id)).OrderBy(v => v.Position).ToList()
            : [];

    private static string Phrase(List<AttributeValue> values)
    {
        var words = values.Select(v => v.Phrase).Where(p => p.Length > 0).ToList();
        return words.Count switch
        {
            0 => "",
            1 => words[0],
            _ => string.Join(", ", words[..^1]) + " and " + words[^1],
        };
    }

    private static string Article(string phrase) => "aeiou".Contains(char.ToLowerInvariant(phrase[0])) ? "an" : "a";
}

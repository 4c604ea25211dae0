namespace AnnotateAnyone.Model.Diffusion;

/// <summary>How a group takes part in Daring's caption composition (CosmicMan: groups 0-2 fixed, 14-19 optional).</summary>
public enum GroupPlacement
{
    /// <summary>Always said, first, in taxonomy order (shot, person, body...).</summary>
    Fixed,

    /// <summary>Shuffled per sample and dropped with the drop probability.</summary>
    Shuffled,

    /// <summary>Shuffled and dropped with the (higher) optional drop probability.</summary>
    Optional,
}

/// <summary>One body-part group of a training caption: its words, how it is placed, and its parsing classes (empty: no mask).</summary>
public sealed record CaptionGroup(string Key, string Phrase, GroupPlacement Placement, IReadOnlyList<short> ParsingClasses);

/// <summary>Where one group's tokens sit in the encoded caption: positions [Start, End) including the start token's shift.</summary>
public sealed record GroupTokens(string Key, int Start, int End, IReadOnlyList<short> ParsingClasses);

/// <summary>A caption ready for the text encoder: padded token ids, the text, and each group's token span.</summary>
public sealed record DiscreteCaption(string Text, int[] TokenIds, IReadOnlyList<GroupTokens> Groups);

/// <summary>
/// Daring's data discretization: composes a caption from body-part groups the way CosmicMan does (fixed groups
/// first in order, the others shuffled per sample, each dropped with a probability, trailing groups cut where the
/// token limit is reached) and tracks every kept group's token span through tokenization, so the HOLA loss knows
/// which tokens belong to which mask. Without a random source it composes deterministically (generation, evaluation).
/// </summary>
public sealed class CaptionDiscretizer(CaptionTokenizer tokenizer, int maxTokens, double dropProbability = 0.1, double optionalDropProbability = 0.5)
{
    public DiscreteCaption Compose(IReadOnlyList<CaptionGroup> groups, Random? random = null)
    {
        var ordered = groups.Where(g => g.Placement == GroupPlacement.Fixed).ToList();
        var others = groups.Where(g => g.Placement != GroupPlacement.Fixed && g.Phrase.Length > 0).ToArray();
        if (random is not null)
        {
            random.Shuffle(others);
            others = others.Where(g => random.NextDouble() >= (g.Placement == GroupPlacement.Optional ? optionalDropProbability : dropProbability)).ToArray();
        }
        ordered.AddRange(others);

        var text = "";
        var ids = new List<int> { CaptionTokenizer.Start };
        var spans = new List<GroupTokens>();
        foreach (var group in ordered.Where(g => g.Phrase.Length > 0))
        {
            var separator = text.Length == 0 ? "" : ", ";
            var tokens = tokenizer.Tokenize(separator + group.Phrase);
            if (ids.Count + tokens.Count + 1 > maxTokens) break;
            var groupStart = ids.Count + (separator.Length > 0 ? 1 : 0);
            ids.AddRange(tokens.Select(t => t.Id));
            spans.Add(new GroupTokens(group.Key, groupStart, ids.Count, group.ParsingClasses));
            text += separator + group.Phrase;
        }
        ids.Add(CaptionTokenizer.End);
        var padded = new int[maxTokens];
        ids.CopyTo(padded);
        return new DiscreteCaption(text, padded, spans);
    }

    /// <summary>The empty caption classifier-free guidance contrasts with (and caption dropout trains).</summary>
    public DiscreteCaption Empty()
    {
        var padded = new int[maxTokens];
        padded[0] = CaptionTokenizer.Start;
        padded[1] = CaptionTokenizer.End;
        return new DiscreteCaption("", padded, []);
    }
}

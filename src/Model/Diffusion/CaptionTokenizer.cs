using System.Text.RegularExpressions;

namespace AnnotateAnyone.Model.Diffusion;

/// <summary>A token of a caption and the characters it came from.</summary>
public readonly record struct CaptionToken(int Id, int Start, int End);

/// <summary>
/// A word-level tokenizer whose vocabulary is the taxonomy's phrasing (value phrases, type nouns, articles and
/// the comma that joins groups). Captions are composed from that vocabulary, so nothing is split into sub-words
/// and every group's words map to whole tokens; free text outside it becomes the unknown token, which callers report.
/// </summary>
public sealed partial class CaptionTokenizer
{
    public const int Pad = 0, Start = 1, End = 2, Unknown = 3;

    private static readonly string[] Specials = ["<pad>", "<start>", "<end>", "<unk>"];

    private readonly Dictionary<string, int> _ids;

    public CaptionTokenizer(IReadOnlyList<string> vocabulary)
    {
        Vocabulary = vocabulary;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in vocabulary) _ids.TryAdd(word, Specials.Length + _ids.Count);
    }

    public IReadOnlyList<string> Vocabulary { get; }

    public int Size => Specials.Length + _ids.Count;

    /// <summary>The sorted, distinct words of the given phrases, plus the words every caption uses.</summary>
    public static IReadOnlyList<string> VocabularyOf(IEnumerable<string> phrases) =>
        phrases.Append("a an and ,").SelectMany(p => Words().Matches(p.ToLowerInvariant()).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<CaptionToken> Tokenize(string text) =>
        Words().Matches(text.ToLowerInvariant()).Select(m => new CaptionToken(_ids.GetValueOrDefault(m.Value, Unknown), m.Index, m.Index + m.Length)).ToList();

    /// <summary>The words of <paramref name="text"/> outside the vocabulary.</summary>
    public IReadOnlyList<string> UnknownWords(string text) =>
        Words().Matches(text.ToLowerInvariant()).Select(m => m.Value).Where(w => !_ids.ContainsKey(w)).Distinct().ToList();

    // Words keep inner hyphens and apostrophes ("full-body", "o'clock"); every other mark is a token of its own.
    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['\-][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]")]
    private static partial Regex Words();
}

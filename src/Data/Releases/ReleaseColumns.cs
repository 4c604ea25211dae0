using AnnotateAnyone.Data.Captions;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Releases;

/// <summary>One attribute's columns in a release: its values, and where its label came from.</summary>
public sealed record AttributeColumn(int Slot, string Key, string Column, bool IsMultiple, AttributeDefinition Attribute, AttributeGroup Group)
{
    public string SourceColumn => $"{Column}__source";
    public string ConfidenceColumn => $"{Column}__confidence";
    public string ModelColumn => $"{Column}__model_version";
}

/// <summary>
/// The columns every tabular format of a release shares (Parquet, JSON Lines, the JSON of WebDataset samples),
/// named once here so the formats cannot drift apart: attribute "hair.color" is column <c>hair_color</c>, its
/// provenance <c>hair_color__source</c>, <c>__confidence</c> and <c>__model_version</c>; each group's part of
/// the caption is <c>caption_hair</c>. Not thread-safe: one instance per writer.
/// </summary>
public sealed class ReleaseColumns
{
    private const int PhraseCacheLimit = 4096;

    private readonly Dictionary<int, string> _valueKeys;
    private readonly Dictionary<int, int[]> _captionValues = [];
    private readonly AttributeColumn[][] _groupColumns;
    private readonly Dictionary<AttributeGroup, int> _groupPositions;
    private readonly Dictionary<ulong, CachedPhrase>[] _phrases;
    private readonly List<int> _key = [];
    private readonly System.Text.StringBuilder _text = new();

    private readonly IReadOnlyDictionary<int, int> _modelNumbers;

    /// <param name="modelNumbers">Registry number of each model version id, so files name versions as people do (v3).</param>
    public ReleaseColumns(TaxonomyIndex taxonomy, IReadOnlyDictionary<int, int>? modelNumbers = null)
    {
        Taxonomy = taxonomy;
        _modelNumbers = modelNumbers ?? new Dictionary<int, int>();
        Attributes = taxonomy.Attributes.Select((a, slot) =>
        {
            var group = taxonomy.GroupOf(a.Id);
            return new AttributeColumn(slot, TaxonomyIndex.KeyOf(group, a), $"{group.Key}_{a.Key}", a.Kind == AttributeKind.MultipleChoice, a, group);
        }).ToList();
        Groups = taxonomy.Version.Groups.OrderBy(g => g.Position).ToList();
        _valueKeys = Attributes.SelectMany(c => c.Attribute.Values).ToDictionary(v => v.Id, v => v.Key);
        _groupColumns = Groups.Select(g => Attributes.Where(a => ReferenceEquals(a.Group, g)).ToArray()).ToArray();
        _groupPositions = Groups.Select((g, position) => (g, position)).ToDictionary(x => x.g, x => x.position);
        _phrases = Groups.Select(_ => new Dictionary<ulong, CachedPhrase>()).ToArray();
        GroupPhrases = new string?[Groups.Count];
    }

    /// <summary>The columns of a group's attributes, in taxonomy order.</summary>
    public IReadOnlyList<AttributeColumn> ColumnsOf(AttributeGroup group) => _groupColumns[_groupPositions[group]];

    /// <summary>Each group's words in the last composed caption (by group position), or null where the group says nothing.</summary>
    public string?[] GroupPhrases { get; }

    public TaxonomyIndex Taxonomy { get; }
    public IReadOnlyList<AttributeColumn> Attributes { get; }
    public IReadOnlyList<AttributeGroup> Groups { get; }

    public static string CaptionColumn(AttributeGroup group) => $"caption_{group.Key}";

    public string? Single(ReleaseRecord record, AttributeColumn column) =>
        record.Values[column.Slot] is [var id, ..] ? _valueKeys[id] : null;

    public string[]? Multiple(ReleaseRecord record, AttributeColumn column) =>
        record.Values[column.Slot] is { } ids ? Array.ConvertAll(ids, id => _valueKeys[id]) : null;

    public int? ModelNumber(ReleaseRecord record, AttributeColumn column) =>
        record.ModelVersionIds[column.Slot] is { } id ? _modelNumbers.GetValueOrDefault(id, id) : null;

    public static string? Source(ReleaseRecord record, AttributeColumn column) =>
        record.Values[column.Slot] is null ? null : SourceName(record.Sources[column.Slot]);

    public static string SourceName(LabelSource source) => source switch
    {
        LabelSource.AiAccepted => "ai_accepted",
        LabelSource.Human => "human",
        LabelSource.Gold => "gold",
        LabelSource.Imported => "imported",
        _ => "adjudicated",
    };

    /// <summary>
    /// The caption composed from the record's labels, CosmicMan's way (taxonomy order, for export): the text
    /// <see cref="CaptionComposer"/> writes, with each group's phrase cached by its values (and kept in
    /// <see cref="GroupPhrases"/>), because a million images repeat a few thousand combinations and composing is the
    /// costly part of exporting. Files carry the text alone, so no spans or token counts are made.
    /// </summary>
    public string CaptionText(ReleaseRecord record)
    {
        _text.Clear();
        for (var g = 0; g < Groups.Count; g++)
        {
            var phrase = Phrase(g, record);
            GroupPhrases[g] = phrase;
            if (phrase is null) continue;
            if (_text.Length > 0) _text.Append(", ");
            _text.Append(phrase);
        }
        return _text.ToString();
    }

    private string? Phrase(int group, ReleaseRecord record)
    {
        _key.Clear();
        foreach (var column in _groupColumns[group])
        {
            _key.Add(column.Slot);
            if (record.Values[column.Slot] is { } ids) _key.AddRange(ids);
            _key.Add(-1);
        }
        var hash = 14695981039346656037UL;
        foreach (var part in _key) hash = (hash ^ (uint)part) * 1099511628211UL;

        var cache = _phrases[group];
        if (cache.TryGetValue(hash, out var cached) && cached.Key.AsSpan().SequenceEqual(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_key)))
            return cached.Phrase;

        _captionValues.Clear();
        foreach (var column in _groupColumns[group])
            if (record.Values[column.Slot] is { } ids) _captionValues[column.Attribute.Id] = ids;
        var phrase = CaptionComposer.GroupPhrase(Groups[group], _captionValues);
        if (cache.Count < PhraseCacheLimit) cache.TryAdd(hash, new CachedPhrase([.. _key], phrase));
        return phrase;
    }

    private sealed record CachedPhrase(int[] Key, string? Phrase);
}

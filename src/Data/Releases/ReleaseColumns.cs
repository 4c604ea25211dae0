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
    private readonly Dictionary<int, string> _valueKeys;
    private readonly Dictionary<int, int[]> _captionValues = [];
    private readonly CaptionComposer _composer = new();

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
    }

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

    /// <summary>The caption composed from the record's labels, CosmicMan's way (taxonomy order, for export).</summary>
    public Caption Caption(ReleaseRecord record)
    {
        _captionValues.Clear();
        foreach (var column in Attributes)
            if (record.Values[column.Slot] is { } ids) _captionValues[column.Attribute.Id] = ids;
        return _composer.Compose(Groups, _captionValues);
    }
}

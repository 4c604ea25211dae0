using System.Text.Json;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Releases;

/// <summary>Per attribute: how many images carry each value, and how many labels came from humans or the AI.</summary>
public sealed record AttributeStats(string Attribute, IReadOnlyDictionary<string, long> Values, IReadOnlyDictionary<string, long> Sources)
{
    /// <summary>Estimated accuracy of this attribute's labels (see <see cref="ReleaseAccuracy"/>); null when nothing measured it.</summary>
    public double? EstimatedAccuracy { get; init; }
}

/// <summary>What a release contains, counted while it is written, so its stats page reads one row.</summary>
public sealed record ReleaseCounts(
    long Images,
    long Labels,
    IReadOnlyDictionary<string, long> ImagesPerSplit,
    IReadOnlyDictionary<string, long> LabelsBySource,
    IReadOnlyDictionary<string, long> ResolutionHistogram,
    IReadOnlyList<AttributeStats> Attributes)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public double HumanShare => Labels == 0 ? 0 : 1 - (double)LabelsBySource.GetValueOrDefault(ReleaseColumns.SourceName(LabelSource.AiAccepted)) / Labels;

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, Json);

    public static ReleaseCounts? From(JsonDocument? document) => document?.Deserialize<ReleaseCounts>(Json);

    /// <summary>
    /// The counts in the order they were written: PostgreSQL's jsonb keeps an object's keys sorted by length rather than
    /// as written, so read back, the resolution buckets and an attribute's values come out of order (">= 4096" between
    /// "512-767" and "768-1023", values no longer in the taxonomy's order). Splits and resolutions go back to their own
    /// order, values to <paramref name="taxonomy"/>'s (the release's version); keys neither knows follow in the order read.
    /// </summary>
    public ReleaseCounts InWrittenOrder(TaxonomyIndex taxonomy) => this with
    {
        ImagesPerSplit = Ordered(ImagesPerSplit, Enum.GetValues<Split>().Select(ReleaseSplit.Name)),
        ResolutionHistogram = Ordered(ResolutionHistogram, ReleaseStatsCollector.ResolutionLabels),
        Attributes = Attributes.Select(a => a with
        {
            Values = Ordered(a.Values, taxonomy.Find(a.Attribute)?.Values.OrderBy(v => v.Position).Select(v => v.Key) ?? []),
        }).ToList(),
    };

    private static Dictionary<string, long> Ordered(IReadOnlyDictionary<string, long> counts, IEnumerable<string> order)
    {
        var ordered = new Dictionary<string, long>();
        foreach (var key in order)
            if (counts.TryGetValue(key, out var count)) ordered[key] = count;
        foreach (var (key, count) in counts) ordered.TryAdd(key, count);
        return ordered;
    }
}

/// <summary>Counts a release's rows as they stream by; memory grows with the taxonomy, not the data set.</summary>
public sealed class ReleaseStatsCollector(ReleaseColumns columns)
{
    /// <summary>Buckets of the image's long side, in pixels.</summary>
    public static readonly int[] ResolutionBuckets = [256, 512, 768, 1024, 1536, 2048, 3072, 4096];

    /// <summary>The buckets' names, smallest first: "&lt; 256", "256-511", …, "&gt;= 4096".</summary>
    public static IReadOnlyList<string> ResolutionLabels { get; } = Enumerable.Range(0, ResolutionBuckets.Length + 1)
        .Select(i => i == 0 ? $"< {ResolutionBuckets[0]}" : i == ResolutionBuckets.Length ? $">= {ResolutionBuckets[^1]}" : $"{ResolutionBuckets[i - 1]}-{ResolutionBuckets[i] - 1}")
        .ToArray();

    private readonly long[] _splits = new long[3];
    private readonly Dictionary<string, long> _sources = [];
    private readonly long[] _resolutions = new long[ResolutionBuckets.Length + 1];
    private readonly Dictionary<int, long>[] _values = columns.Attributes.Select(_ => new Dictionary<int, long>()).ToArray();
    private readonly Dictionary<LabelSource, long>[] _attributeSources = columns.Attributes.Select(_ => new Dictionary<LabelSource, long>()).ToArray();
    private long _images;
    private long _labels;

    public HashSet<int> RoundIds { get; } = [];
    public HashSet<int> ModelVersionIds { get; } = [];

    public void Add(ReleaseRecord record)
    {
        _images++;
        _splits[(int)record.Split]++;
        var side = Math.Max(record.Width, record.Height);
        var bucket = Array.FindIndex(ResolutionBuckets, b => side < b);
        _resolutions[bucket < 0 ? ResolutionBuckets.Length : bucket]++;
        if (record.RoundId is { } round) RoundIds.Add(round);
        foreach (var column in columns.Attributes)
        {
            if (record.Values[column.Slot] is not { } ids) continue;
            _labels++;
            foreach (var id in ids) _values[column.Slot][id] = _values[column.Slot].GetValueOrDefault(id) + 1;
            var source = record.Sources[column.Slot];
            _attributeSources[column.Slot][source] = _attributeSources[column.Slot].GetValueOrDefault(source) + 1;
            if (record.ModelVersionIds[column.Slot] is { } model) ModelVersionIds.Add(model);
        }
    }

    public ReleaseCounts Counts(IReadOnlyDictionary<string, double>? accuracy = null)
    {
        var attributes = columns.Attributes.Select(c => new AttributeStats(c.Key,
            c.Attribute.Values.OrderBy(v => v.Position).ToDictionary(v => v.Key, v => _values[c.Slot].GetValueOrDefault(v.Id)),
            _attributeSources[c.Slot].OrderBy(s => s.Key).ToDictionary(s => ReleaseColumns.SourceName(s.Key), s => s.Value))
        {
            EstimatedAccuracy = accuracy?.GetValueOrDefault(c.Key) is > 0 and var a ? a : null,
        }).ToList();
        var sources = attributes.SelectMany(a => a.Sources).GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        var resolutions = ResolutionLabels.Select((label, i) => (label, i)).ToDictionary(b => b.label, b => _resolutions[b.i]);
        return new ReleaseCounts(_images, _labels,
            Enum.GetValues<Split>().ToDictionary(ReleaseSplit.Name, s => _splits[(int)s]),
            sources, resolutions, attributes);
    }
}

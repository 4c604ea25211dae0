using System.Text.Json;
using AnnotateAnyone.Data.Labels;

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
}

/// <summary>Counts a release's rows as they stream by; memory grows with the taxonomy, not the data set.</summary>
public sealed class ReleaseStatsCollector(ReleaseColumns columns)
{
    /// <summary>Buckets of the image's long side, in pixels.</summary>
    public static readonly int[] ResolutionBuckets = [256, 512, 768, 1024, 1536, 2048, 3072, 4096];

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
        var resolutions = new Dictionary<string, long>();
        for (var i = 0; i <= ResolutionBuckets.Length; i++)
            resolutions[i == 0 ? $"< {ResolutionBuckets[0]}" : i == ResolutionBuckets.Length ? $">= {ResolutionBuckets[^1]}" : $"{ResolutionBuckets[i - 1]}-{ResolutionBuckets[i] - 1}"] = _resolutions[i];
        return new ReleaseCounts(_images, _labels,
            Enum.GetValues<Split>().ToDictionary(ReleaseSplit.Name, s => _splits[(int)s]),
            sources, resolutions, attributes);
    }
}

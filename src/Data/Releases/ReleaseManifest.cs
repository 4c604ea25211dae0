using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateAnyone.Data.Releases;

/// <summary>One file of a release: its path under the release's folder, size and SHA-256 (hex).</summary>
public sealed record ReleaseFile(string Path, long Size, string Sha256);

public sealed record ReleaseLineage(IReadOnlyList<int> Rounds, IReadOnlyList<LineageModel> ModelVersions);

public sealed record LineageModel(int Number, string Name);

public sealed record ManifestTaxonomy(int Id, int Number, string Name);

public sealed record ManifestParent(string Name, string Version);

/// <summary>
/// <c>manifest.json</c>, written last: what the release is, how it was selected, and every file with its checksum.
/// Its presence is what makes a release's files a release; <c>verify</c> recomputes every checksum from it.
/// </summary>
public sealed record ReleaseManifest(
    string Name,
    string Version,
    int ReleaseId,
    ManifestTaxonomy Taxonomy,
    ReleaseSpec Spec,
    long Images,
    long Labels,
    IReadOnlyDictionary<string, long> ImagesPerSplit,
    IReadOnlyDictionary<string, long> LabelsBySource,
    ManifestParent? Parent,
    string? BuiltBy,
    DateTimeOffset BuiltAt,
    long? JobRun,
    ReleaseLineage Lineage,
    IReadOnlyList<ReleaseFile> Files)
{
    public const string FileName = "manifest.json";

    /// <summary>Checksum lists (sha256sum format) of file sets too large to list here, such as the CosmicMan-HQ layout's images.</summary>
    public const string ChecksumListSuffix = "SHA256SUMS";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

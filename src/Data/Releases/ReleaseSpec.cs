namespace AnnotateAnyone.Data.Releases;

/// <summary>Which images (and labels) a release takes. Every part is optional; the defaults make a clean release.</summary>
public sealed record ReleaseFilter
{
    /// <summary>The taxonomy version whose attributes become the columns; null: the active one.</summary>
    public int? TaxonomyVersionId { get; init; }

    /// <summary>Only images whose labels humans finished (status verified); false adds images still in review.</summary>
    public bool VerifiedOnly { get; init; } = true;

    public int MinWidth { get; init; }
    public int MinHeight { get; init; }

    /// <summary>"group.attribute" keys that must have a label.</summary>
    public IReadOnlyList<string> RequiredAttributes { get; init; } = [];

    /// <summary>Round numbers to take images from; empty: any round or none.</summary>
    public IReadOnlyList<int> Rounds { get; init; } = [];

    /// <summary>Ingested on or after / before these instants.</summary>
    public DateTimeOffset? IngestedFrom { get; init; }
    public DateTimeOffset? IngestedBefore { get; init; }

    /// <summary>Flags that exclude an image; by default every flag does.</summary>
    public IReadOnlyList<string> ExcludedFlags { get; init; } = ["NotAPerson", "BadQuality", "Duplicate", "Inappropriate"];
}

/// <summary>Shares of the validation and test splits; the rest is train. Assignment is by SHA-256, so it never changes.</summary>
public sealed record ReleaseSplits(double Validation = 0.05, double Test = 0.05);

public static class ReleaseFormats
{
    public const string Parquet = "parquet";
    public const string JsonLines = "jsonl";
    public const string WebDataset = "webdataset";
    public const string CosmicMan = "cosmicman";

    public static readonly IReadOnlyList<string> All = [Parquet, JsonLines, WebDataset, CosmicMan];
}

/// <summary>Everything a release is built from, apart from its name and version.</summary>
public sealed record ReleaseSpec
{
    public ReleaseFilter Filter { get; init; } = new();
    public ReleaseSplits Splits { get; init; } = new();

    /// <summary>Image bytes inside the Parquet and CosmicMan-HQ files (WebDataset shards always carry them).</summary>
    public bool EmbedImages { get; init; }

    public IReadOnlyList<string> Formats { get; init; } = ReleaseFormats.All;

    /// <summary>WebDataset shard size; a shard closes before the sample that would take it over.</summary>
    public long ShardBytes { get; init; } = 1L << 30;
}

/// <summary>A release to create: its name ("CosmicMan-HQ"), version ("1.1") and spec.</summary>
public sealed record ReleaseRequest(string Name, string Version, ReleaseSpec? Spec = null);

/// <summary>Compare release <paramref name="From"/> (the older) with <paramref name="To"/>.</summary>
public sealed record DiffReleasesParameters(int From, int To);

/// <summary>Check every file of published release <paramref name="ReleaseId"/> against its manifest and checksum lists.</summary>
public sealed record VerifyReleaseParameters(int ReleaseId);

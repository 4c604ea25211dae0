namespace AnnotateAnyone.Data.Images;

/// <summary>
/// One file that entered the platform, accepted or not. Rejected files are kept (with their reason) so that
/// re-ingesting the same bytes is idempotent and so that data leads can download what was refused.
/// </summary>
public sealed class Image
{
    public long Id { get; set; }

    /// <summary>SHA-256 of the original bytes: the identity of an image across sources and releases.</summary>
    public required byte[] Sha256 { get; set; }

    /// <summary>64-bit perceptual hash (DCT pHash); null when the file could not be decoded.</summary>
    public long? PerceptualHash { get; set; }

    public int? Width { get; set; }
    public int? Height { get; set; }
    public ImageFormat? Format { get; set; }
    public long ByteSize { get; set; }

    public ImageSourceKind SourceKind { get; set; }

    /// <summary>Where the file came from: a file name, a path, an s3:// or http(s):// address.</summary>
    public required string SourceUri { get; set; }

    public required string OriginalKey { get; set; }
    public string? ThumbnailKey { get; set; }

    /// <summary>The 18-class human-parsing map (PNG label map), when a parser or the generator supplied one.</summary>
    public string? ParsingMapKey { get; set; }

    public ImageStatus Status { get; set; }
    public string? RejectReason { get; set; }
    public ImageFlags Flags { get; set; }

    public long? IngestRunId { get; set; }
    public int? RoundId { get; set; }

    /// <summary>The captioner's probability that this is a usable photo of a person (null until it has looked).</summary>
    public float? UsableScore { get; set; }

    /// <summary>Gold items carry known answers and are served to annotators unannounced.</summary>
    public bool IsGold { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public enum ImageStatus : short
{
    Ingested = 0,
    Rejected = 1,
    PendingReview = 2,
    Verified = 3,
    Excluded = 4,
}

public enum ImageFormat : short
{
    Jpeg = 1,
    Png = 2,
    Webp = 3,
}

public enum ImageSourceKind : short
{
    Upload = 1,
    Folder = 2,
    Bucket = 3,
    Url = 4,
    Synthetic = 5,
    Import = 6,
}

/// <summary>Flags an annotator can raise on a whole image; any flag excludes it from releases by default.</summary>
[Flags]
public enum ImageFlags : short
{
    None = 0,
    NotAPerson = 1,
    BadQuality = 2,
    Duplicate = 4,
    Inappropriate = 8,
}

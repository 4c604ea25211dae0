using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Images;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>Where an ingest run reads its files from; stored with the run as JSON.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(UploadSource), "upload")]
[JsonDerivedType(typeof(FolderSource), "folder")]
[JsonDerivedType(typeof(BucketSource), "bucket")]
[JsonDerivedType(typeof(UrlListSource), "urls")]
[JsonDerivedType(typeof(UrlFileSource), "urlFile")]
[JsonDerivedType(typeof(SyntheticSource), "synthetic")]
public abstract record IngestSource
{
    [JsonIgnore]
    public ImageSourceKind Kind => this switch
    {
        UploadSource => ImageSourceKind.Upload,
        FolderSource => ImageSourceKind.Folder,
        BucketSource => ImageSourceKind.Bucket,
        UrlListSource or UrlFileSource => ImageSourceKind.Url,
        _ => ImageSourceKind.Synthetic,
    };

    /// <summary>One line for people: what was ingested.</summary>
    public abstract string Describe();

    /// <summary>The source as it may be shown: secrets replaced.</summary>
    public virtual IngestSource Redact() => this;
}

/// <summary>Files uploaded through the browser or the API, staged in the object store under a prefix.</summary>
public sealed record UploadSource(string StagingPrefix, int FileCount) : IngestSource
{
    public override string Describe() => $"upload of {FileCount} file(s)";
}

/// <summary>A folder on the Worker machines (a shared mount in a multi-machine deployment), read recursively.</summary>
public sealed record FolderSource(string Path) : IngestSource
{
    public override string Describe() => $"folder {Path}";
}

/// <summary>
/// Objects under a prefix of an S3 bucket: the platform's own S3 server when <see cref="Endpoint"/> is empty,
/// or another S3 server with its own credentials.
/// </summary>
public sealed record BucketSource(string Bucket, string Prefix = "", string? Endpoint = null, string? AccessKey = null, string? SecretKey = null,
    bool UseSsl = false) : IngestSource
{
    public override string Describe() => $"s3://{Bucket}/{Prefix}" + (Endpoint is null ? "" : $" at {Endpoint}");
    public override IngestSource Redact() => this with { SecretKey = SecretKey is null ? null : "(hidden)" };
}

/// <summary>URLs sent with the request (at most <see cref="IngestSourceValidation.MaxUrls"/>).</summary>
public sealed record UrlListSource(IReadOnlyList<string> Urls) : IngestSource
{
    public override string Describe() => $"{Urls.Count} URL(s)";
}

/// <summary>
/// URLs listed in a text file on the Worker machines, one a line, read as the run goes: a web-scale list (millions of
/// addresses) stays out of the request, the run's row and memory, and needs no splitting.
/// </summary>
public sealed record UrlFileSource(string Path) : IngestSource
{
    public override string Describe() => $"URLs listed in {Path}";
}

/// <summary>People drawn by the platform's generator, with their ground truth and parsing maps.</summary>
public sealed record SyntheticSource(int Count, int Seed = 1, int Width = 512, int Height = 512) : IngestSource
{
    /// <summary>The most people one source draws, and the sides its pictures may have (see <see cref="IngestSourceValidation"/>).</summary>
    public const int MaxCount = 1_000_000, MinSide = 64, MaxSide = 4096;

    public override string Describe() => $"{Count} synthetic people (seed {Seed}, {Width} x {Height})";
}

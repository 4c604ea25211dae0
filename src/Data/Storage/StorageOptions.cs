using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Storage;

public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>FileSystem (single machine, the default) or S3 (MinIO or any S3-compatible server).</summary>
    public StorageKind Kind { get; set; } = StorageKind.FileSystem;

    /// <summary>Root folder of the filesystem store.</summary>
    public string? Path { get; set; }

    public S3Settings S3 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Kind == StorageKind.FileSystem && string.IsNullOrWhiteSpace(Path))
            yield return new ValidationResult("Storage:Path must name a folder when Storage:Kind is FileSystem.", [nameof(Path)]);
        if (Kind == StorageKind.S3)
        {
            if (string.IsNullOrWhiteSpace(S3.Endpoint))
                yield return new ValidationResult("Storage:S3:Endpoint must be set (host:port) when Storage:Kind is S3.", ["S3.Endpoint"]);
            if (string.IsNullOrWhiteSpace(S3.Bucket))
                yield return new ValidationResult("Storage:S3:Bucket must be set when Storage:Kind is S3.", ["S3.Bucket"]);
            if (string.IsNullOrWhiteSpace(S3.AccessKey) || string.IsNullOrWhiteSpace(S3.SecretKey))
                yield return new ValidationResult("Storage:S3:AccessKey and Storage:S3:SecretKey must be set when Storage:Kind is S3.", ["S3.AccessKey"]);
            if (S3.ReadRetries is < 0 or > 10)
                yield return new ValidationResult($"Storage:S3:ReadRetries is {S3.ReadRetries}: give 0 (no retries) to 10.", ["S3.ReadRetries"]);
            if (S3.RetryDelay < TimeSpan.Zero || S3.RetryDelay > TimeSpan.FromMinutes(1))
                yield return new ValidationResult($"Storage:S3:RetryDelay is {S3.RetryDelay}: give a wait from 00:00:00 to 00:01:00.", ["S3.RetryDelay"]);
        }
    }
}

public enum StorageKind
{
    FileSystem,
    S3,
}

public sealed class S3Settings
{
    public string? Endpoint { get; set; }
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string? Bucket { get; set; }
    public string? Region { get; set; }
    public bool UseSsl { get; set; }

    /// <summary>Create the bucket at start-up when it is missing, instead of refusing to start.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>
    /// How many more times a read (GET or HEAD) is tried after a failure the server calls passing: a 5xx or 429 answer
    /// (S3's 503 "slow down" asks for exactly this) or a connection lost before the answer. 0 turns retries off.
    /// </summary>
    public int ReadRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; each later one waits about twice as long (with jitter), or what the server's Retry-After asks.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}

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
}

using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>What ingest accepts. Every file outside these limits is refused with its own reason.</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string Section = "Ingest";

    [Range(1, 1L << 34)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Width x height above which a file is refused from its header alone (decompression bombs).</summary>
    [Range(1, 1L << 34)]
    public long MaxPixels { get; set; } = 60_000_000;

    [Range(1, 100_000)]
    public int MinWidth { get; set; } = 256;

    [Range(1, 100_000)]
    public int MinHeight { get; set; } = 256;

    /// <summary>The long side of stored thumbnails, in pixels.</summary>
    [Range(32, 2048)]
    public int ThumbnailSize { get; set; } = 384;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan DecodeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Perceptual hashes at most this many bits apart are near duplicates; 0 turns the check off.</summary>
    [Range(0, 7)]
    public int NearDuplicateDistance { get; set; } = 4;

    /// <summary>Files inspected at once by one Worker.</summary>
    [Range(1, 256)]
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    public UrlFetchOptions Urls { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var network in Urls.AllowedNetworks.Where(n => !IPNetwork.TryParse(n, out _)))
            yield return new ValidationResult($"Ingest:Urls:AllowedNetworks has '{network}', which is not a network such as 10.0.0.0/8 or 127.0.0.1/32.");
    }
}

public sealed class UrlFetchOptions
{
    [Range(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Private, loopback and link-local addresses are refused (a URL list must not reach inside the network);
    /// networks named here (CIDR) are allowed anyway, for example an internal image server.
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];
}

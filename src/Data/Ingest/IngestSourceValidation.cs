using System.Text.RegularExpressions;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>Checks a source before a run is created, so a mistyped request fails at once with the reason.</summary>
public static partial class IngestSourceValidation
{
    public const int MaxUrls = 100_000;

    public static IReadOnlyList<string> Problems(IngestSource source) => source switch
    {
        FolderSource folder => NotOnWorkers(folder.Path, "The folder") is { } problem ? [problem] : [],
        UrlFileSource file => NotOnWorkers(file.Path, "The URL list file") is { } problem ? [problem] : [],
        BucketSource bucket => BucketProblems(bucket),
        UrlListSource list => UrlProblems(list),
        SyntheticSource synthetic => synthetic.Count is < 1 or > SyntheticSource.MaxCount || !IsSide(synthetic.Width) || !IsSide(synthetic.Height)
            ? [$"A synthetic source needs 1 to {SyntheticSource.MaxCount:N0} images of {SyntheticSource.MinSide} to {SyntheticSource.MaxSide} pixels a side."]
            : [],
        _ => [],
    };

    private static bool IsSide(int pixels) => pixels is >= SyntheticSource.MinSide and <= SyntheticSource.MaxSide;

    public static void ThrowIfInvalid(IngestSource source)
    {
        var problems = Problems(source);
        if (problems.Count > 0) throw new InvalidIngestSourceException(problems);
    }

    /// <summary>Why a bucket source without an endpoint cannot be read where the platform's own store is a filesystem.</summary>
    public const string OwnBucketNeedsS3 = "This platform stores files on the filesystem, so a bucket source must name its S3 endpoint and credentials.";

    private static List<string> BucketProblems(BucketSource bucket)
    {
        var problems = new List<string>();
        if (!BucketName().IsMatch(bucket.Bucket ?? ""))
            problems.Add($"'{bucket.Bucket}' is not a valid bucket name (3 to 63 lower-case letters, digits, '.' or '-').");
        if (bucket.Endpoint is not null && (bucket.AccessKey is null || bucket.SecretKey is null))
            problems.Add("A bucket on another S3 server needs an access key and a secret key.");
        return problems;
    }

    private static List<string> UrlProblems(UrlListSource list)
    {
        var problems = new List<string>();
        if (list.Urls.Count == 0) problems.Add("The URL list is empty.");
        if (list.Urls.Count > MaxUrls)
            problems.Add($"A URL list holds at most {MaxUrls:N0} URLs; this one has {list.Urls.Count:N0}. Put it in a file on the Worker machines and ingest that (kind \"urlFile\"), or split it.");
        foreach (var (url, line) in list.Urls.Select((u, i) => (u, i + 1)))
        {
            if (IsWebAddress(url)) continue;
            problems.Add($"Line {line}: '{url}' is not an http or https URL.");
            if (problems.Count >= 20) break;
        }
        return problems;
    }

    /// <summary>Why <paramref name="path"/> (<paramref name="what"/>) cannot name a place on the Worker machines, or null when it can.</summary>
    public static string? NotOnWorkers(string? path, string what) =>
        string.IsNullOrWhiteSpace(path) || !Path.IsPathRooted(path.Trim()) ? $"{what} '{path}' must be an absolute path on the Worker machines."
        // Mostly a path pasted with a space or line break: the run would otherwise fail on the Worker, as a folder not found.
        : path.Trim() != path ? $"{what} '{path}' begins or ends with white space: send the path without it."
        : null;

    public static bool IsWebAddress(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}

public sealed class InvalidIngestSourceException(IReadOnlyList<string> problems) : Exception(string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

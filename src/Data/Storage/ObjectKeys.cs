using System.Text.RegularExpressions;

namespace AnnotateAnyone.Data.Storage;

/// <summary>
/// Content-addressed keys: the same bytes always land at the same key, so re-ingesting is idempotent and
/// two Workers storing the same image cannot conflict. Two levels of fan-out keep directories small on the
/// filesystem store.
/// </summary>
public static partial class ObjectKeys
{
    public static string Original(byte[] sha256, string extension) => ContentKey("originals", sha256, extension);

    public static string Thumbnail(byte[] sha256) => ContentKey("thumbnails", sha256, "jpg");

    public static string ParsingMap(byte[] sha256) => ContentKey("parsing", sha256, "png");

    public static string ContentKey(string kind, byte[] sha256, string extension)
    {
        var hex = Convert.ToHexStringLower(sha256);
        return $"{kind}/{hex[..2]}/{hex[2..4]}/{hex}.{extension}";
    }

    /// <summary>Throws <see cref="ArgumentException"/> for keys that could escape a root or confuse S3.</summary>
    public static void Validate(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 1024 || !KeyPattern().IsMatch(key))
            throw new ArgumentException($"'{key}' is not a valid object key: use segments of letters, digits, '.', '_' or '-' separated by '/'.");
        if (HasDotSegment(key))
            throw new ArgumentException($"'{key}' is not a valid object key: '.' and '..' segments are not allowed.");
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for a key that cannot be read safely from an S3 bucket. Keys another tool
    /// wrote (a bucket given to ingest) hold whatever S3 allows (spaces, any script), so only what S3 refuses (an empty
    /// key, one over 1,024 bytes) and '.' or '..' segments, which an HTTP client may fold into another key, are refused.
    /// </summary>
    public static void ValidateForReading(string key)
    {
        if (string.IsNullOrEmpty(key) || System.Text.Encoding.UTF8.GetByteCount(key) > 1024)
            throw new ArgumentException($"'{key}' is not an object key S3 can hold: it must be 1 to 1,024 bytes long.");
        if (HasDotSegment(key))
            throw new ArgumentException($"'{key}' cannot be read safely: a '.' or '..' segment may be folded into another key on the way.");
    }

    private static bool HasDotSegment(string key) => key.Split('/').Any(segment => segment is "." or "..");

    [GeneratedRegex(@"^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")]
    private static partial Regex KeyPattern();
}

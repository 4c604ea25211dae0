using System.Text.RegularExpressions;

namespace AnnotateAnyone.Data.Ingest;

/// <summary>
/// Where uploaded files wait for a Worker: staging/uploads/{run}/{position}/{file name}. The Web host only
/// stores bytes there (it never decodes); the ingest job reads them back in position order.
/// </summary>
public static partial class UploadStaging
{
    public static string Prefix(long ingestRunId) => $"staging/uploads/{ingestRunId}/";

    public static string Key(long ingestRunId, int ordinal, string fileName) => $"{Prefix(ingestRunId)}{ordinal:D7}/{SafeName(fileName)}";

    public static (int Ordinal, string Name) Parse(string key)
    {
        var parts = key.Split('/');
        return (int.Parse(parts[^2]), parts[^1]);
    }

    /// <summary>The file name reduced to characters every store accepts; the original is kept in the report.</summary>
    public static string SafeName(string fileName)
    {
        var name = Unsafe().Replace(Path.GetFileName(fileName.Replace('\\', '/')), "_").Trim('.');
        return name.Length == 0 ? "file" : name[..Math.Min(name.Length, 120)];
    }

    [GeneratedRegex("[^A-Za-z0-9._-]")]
    private static partial Regex Unsafe();
}

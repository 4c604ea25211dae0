namespace AnnotateAnyone.Data.Releases;

/// <summary>The media type of a release file, from its name: set when it is stored and when it is downloaded.</summary>
public static class ReleaseContentTypes
{
    private const string Text = "text/plain; charset=utf-8";

    private static readonly Dictionary<string, string> ByExtension = new()
    {
        [".parquet"] = "application/vnd.apache.parquet",
        [".jsonl"] = "application/x-ndjson",
        [".json"] = "application/json",
        [".tar"] = "application/x-tar",
        [".md"] = "text/markdown; charset=utf-8",
        [".jpg"] = "image/jpeg",
        [".png"] = "image/png",
        [".webp"] = "image/webp",
    };

    public static string Of(string path) => ByExtension.GetValueOrDefault(Path.GetExtension(path), Text);

    /// <summary>Every type a release file may be sent as (for the API's description).</summary>
    public static IReadOnlyList<string> All => [.. ByExtension.Values.Distinct(), Text];
}

namespace AnnotateAnyone.Data.Releases;

/// <summary>The media type of a release file, from its name: set when it is stored and when it is downloaded.</summary>
public static class ReleaseContentTypes
{
    public static string Of(string path) => Path.GetExtension(path) switch
    {
        ".parquet" => "application/vnd.apache.parquet",
        ".jsonl" => "application/x-ndjson",
        ".json" => "application/json",
        ".tar" => "application/x-tar",
        ".md" => "text/markdown; charset=utf-8",
        ".jpg" => "image/jpeg",
        ".png" => "image/png",
        ".webp" => "image/webp",
        _ => "text/plain; charset=utf-8",
    };
}

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Text and table files kept beside pictures: each picture's caption and metadata in img2dataset's and webdataset's
/// layouts (<c>00000.jpg</c>, <c>00000.json</c>, <c>00000.txt</c>), a shard's <c>.parquet</c> and <c>_stats.json</c>, a
/// generator's <c>truth.jsonl</c>, a README. A folder or bucket ingest passes over them as it does hidden files: listed
/// as refused, they would be two of every three files in such a set and bury the pictures that are refused.
/// </summary>
public static class MetadataFiles
{
    private static readonly string[] Listed = [".json", ".jsonl", ".txt", ".csv", ".tsv", ".parquet", ".md", ".xml", ".yaml", ".yml"];

    private static readonly HashSet<string> Extensions = new(Listed, StringComparer.OrdinalIgnoreCase);

    /// <summary>The extensions passed over, for messages: ".json, .jsonl, ...".</summary>
    public static string Named { get; } = string.Join(", ", Listed);

    public static bool Is(string name) => Extensions.Contains(Path.GetExtension(name));
}

namespace AnnotateAnyone.Web.Ingest;

/// <summary>
/// A run's files as CSV (RFC 4180), for the people who fix the sources a run refused: a row per file in source order,
/// outcomes and reasons named as the API names them. Written as the rows stream in, so a run of millions of files takes
/// no memory.
/// </summary>
public static class IngestReportCsv
{
    public static readonly string[] Header = ["number", "file", "outcome", "reason", "detail", "bytes", "image_id", "duplicate_of"];

    public static async Task WriteAsync(IAsyncEnumerable<IngestItemView> items, Stream body, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(body, leaveOpen: true);
        await text.WriteAsync(Row(Header));
        await foreach (var item in items.WithCancellation(cancellationToken))
            await text.WriteAsync(Row([(item.Ordinal + 1).ToString(), item.Name, item.Outcome.ToString(), item.Reason?.ToString(), item.Detail, item.ByteSize.ToString(),
                item.ImageId?.ToString(), item.DuplicateOf?.ToString()]));
    }

    private static string Row(IEnumerable<string?> fields) => string.Join(',', fields.Select(Field)) + "\r\n";

    /// <summary>
    /// Quoted where the text holds a comma, quote or line break. Files are named by whoever sent them: text a spreadsheet
    /// would run as a formula ("=HYPERLINK(…)", "+1", "@SUM") gets a leading apostrophe, so it is shown rather than run.
    /// </summary>
    public static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : $"\"{text.Replace("\"", "\"\"")}\"";
    }
}

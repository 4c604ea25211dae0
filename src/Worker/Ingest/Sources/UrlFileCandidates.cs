using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// The URLs listed in a text file of this machine, one a line, read as the run goes (twice: once to count them).
/// Blank lines and lines starting with '#' are skipped; any other line is a file of the run, and one whose first field
/// is not an http or https URL (a header line, say) is refused by its line number rather than failing the run.
/// </summary>
public sealed class UrlFileCandidates(string path, UrlFetcher fetcher) : ICandidateSource
{
    private const int MaxName = 2048;

    public async Task<int> CountAsync(CancellationToken cancellationToken) => await Listed(cancellationToken).CountAsync(cancellationToken);

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ordinal = 0;
        await foreach (var (line, url) in Listed(cancellationToken))
            // A line of something else (the file is not a list) is named by its start, not kept whole in the report.
            yield return new Candidate(ordinal++, url.Length <= MaxName ? url : $"{url[..MaxName]}…", async ct => IngestSourceValidation.IsWebAddress(url)
                ? new CandidateContent(await fetcher.FetchAsync(new Uri(url), ct))
                : throw new CandidateUnavailableException(RejectReason.NotAUrl, $"Line {line} of {path} is not an http or https URL."));
    }

    /// <summary>Each listed line with its number, counted from 1 as an editor shows it.</summary>
    private async IAsyncEnumerable<(int Line, string Url)> Listed([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new InvalidIngestSourceException([Directory.Exists(path)
                ? $"'{path}' is a folder on Worker machine {Environment.MachineName}, not a URL list file: name the text file, or start a folder run to ingest the pictures in it."
                : $"The URL list file '{path}' does not exist on Worker machine {Environment.MachineName}."]);
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            var line = text.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) yield return (number, FirstField(line));
        }
    }

    /// <summary>
    /// A line's first field, up to a tab, a space or a comma, unquoted: dataset URL lists (TSV or CSV) carry a caption,
    /// a licence or a size beside each address. A URL holds no white space, and a comma in one is written %2C.
    /// </summary>
    private static string FirstField(string line)
    {
        var end = line.IndexOfAny(['\t', ' ', ',']);
        return (end < 0 ? line : line[..end]).Trim('"', '\'');
    }
}

using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Every file under a folder of this machine, in ordinal path order (hidden files skipped). A human-parsing map beside
/// an image (<c>photo.parsing.png</c> next to <c>photo.jpg</c>, as generate-people and CosmicMan-HQ lay them out) is
/// not a file of its own: it comes with its image. A map whose image is missing is ingested like any other file.
/// </summary>
public sealed class FolderCandidates(string root) : ICandidateSource
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(Files().Count());

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ordinal = 0;
        foreach (var (path, parsingMap) in Files())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = path;
            yield return new Candidate(ordinal++, Path.GetRelativePath(root, file), _ =>
            {
                try
                {
                    return Task.FromResult(new CandidateContent(Open(file), OpenSidecarParsingMap: parsingMap is null ? null : _ => Task.FromResult(Open(parsingMap))));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CandidateUnavailableException(RejectReason.Unreadable, $"Cannot read '{file}': {e.Message}", e);
                }
            });
            await Task.CompletedTask;
        }
    }

    private static Stream Open(string path) => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);

    /// <summary>The files to ingest, each with the parsing map beside it, if any.</summary>
    private IEnumerable<(string File, string? ParsingMap)> Files()
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The folder '{root}' does not exist on Worker machine {Environment.MachineName}.");
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
        return ParsingMapSidecars<string>.Pair(files, path => path);
    }
}

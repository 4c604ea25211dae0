using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>Every file under a folder of this machine, in ordinal path order (hidden files skipped).</summary>
public sealed class FolderCandidates(string root) : ICandidateSource
{
    public Task<int> CountAsync(CancellationToken cancellationToken) => Task.FromResult(Files().Count());

    public async IAsyncEnumerable<Candidate> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ordinal = 0;
        foreach (var path in Files())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = path;
            yield return new Candidate(ordinal++, Path.GetRelativePath(root, file), _ =>
            {
                try
                {
                    return Task.FromResult(new CandidateContent(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new CandidateUnavailableException(RejectReason.Unreadable, $"Cannot read '{file}': {e.Message}", e);
                }
            });
            await Task.CompletedTask;
        }
    }

    private IEnumerable<string> Files()
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException($"The folder '{root}' does not exist on Worker machine {Environment.MachineName}.");
        return Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal);
    }
}

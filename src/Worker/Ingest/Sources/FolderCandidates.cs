using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Hosting;

namespace AnnotateAnyone.Worker.Ingest.Sources;

/// <summary>
/// Every file under a folder of this machine, folder by folder (hidden ones and <see cref="MetadataFiles"/> skipped). A human-parsing map beside
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
            throw new InvalidIngestSourceException([WorkerPaths.NotAFolder(root, "the pictures")]);
        var start = new DirectoryInfo(root);
        return ParsingMapSidecars<string>.Pair(Walk(start, RealPath(start, start.FullName), []), path => path);
    }

    private static readonly EnumerationOptions OneLevel = new() { IgnoreInaccessible = true };

    /// <summary>
    /// A folder's files in ordinal name order, then its subfolders the same way, in ordinal name order: a stable order
    /// that holds a bounded run of one folder's names at a time (<see cref="SortedNames"/>), not the whole tree's
    /// (millions of paths for a CosmicMan-sized set, whether in one folder or kept in shards). Hidden files and folders, and metadata files, are skipped. Linked folders are followed (shards are often linked in
    /// from other disks), each real folder once, so a link back up the tree cannot loop the walk.
    /// </summary>
    /// <param name="realPath">The folder's path with links resolved, to know it when another link leads to it.</param>
    /// <param name="walked">The real paths of the folders walked so far.</param>
    private static IEnumerable<string> Walk(DirectoryInfo folder, string realPath, HashSet<string> walked)
    {
        if (!walked.Add(realPath)) yield break;
        IEnumerable<string> files;
        DirectoryInfo[] subfolders;
        try
        {
            files = SortedNames.Sort(Directory.EnumerateFiles(folder.FullName, "*", OneLevel).Where(f => !Path.GetFileName(f).StartsWith('.') && !MetadataFiles.Is(f)));
            subfolders = [.. folder.EnumerateDirectories("*", OneLevel).Where(d => !d.Name.StartsWith('.')).OrderBy(d => d.Name, StringComparer.Ordinal)];
        }
        catch (DirectoryNotFoundException)
        {
            // Removed since its parent was listed: nothing of it is left to ingest, and the rest of the tree still is.
            yield break;
        }
        foreach (var file in files)
            yield return file;
        foreach (var subfolder in subfolders)
            foreach (var file in Walk(subfolder, RealPath(subfolder, Path.Combine(realPath, subfolder.Name)), walked))
                yield return file;
    }

    /// <summary>Where a folder really is: its link's final target, or <paramref name="unlinked"/> when it is no link.</summary>
    private static string RealPath(DirectoryInfo folder, string unlinked) =>
        folder.LinkTarget is null ? unlinked : folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? unlinked;
}

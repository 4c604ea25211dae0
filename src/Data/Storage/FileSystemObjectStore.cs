using System.Runtime.CompilerServices;

namespace AnnotateAnyone.Data.Storage;

/// <summary>
/// The single-machine store: one file per object under a root folder. Writes go to a temporary file in the
/// same folder and are renamed into place, so a reader (or a crash) never sees a partial object.
/// </summary>
public sealed class FileSystemObjectStore(string root) : IObjectStore
{
    private readonly string _root = System.IO.Path.GetFullPath(root);

    public string Location => $"filesystem store at {_root}";

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await content.CopyToAsync(file, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public async Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken = default)
    {
        var target = PathOf(key);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        // Into place in two steps: from another disk the first move copies, and only the rename shows the object.
        var temporary = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await Task.Run(() => File.Move(path, temporary), cancellationToken);
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ObjectNotFoundException(key, Location);
        }
    }

    public Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(key));
        return Task.FromResult(file.Exists ? new StoredObject(key, file.Length, file.LastWriteTimeUtc) : null);
    }

    /// <summary>Deleting what is not there succeeds, as on S3 (even when its folder was never created).</summary>
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A prefix may end inside a file name ("releases/v1/data-"), so walk its folder and filter by key.
        var folder = System.IO.Path.Combine(_root, prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "");
        if (!Directory.Exists(folder)) yield break;
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".partial", StringComparison.Ordinal))
            .Select(f => (File: f, Key: System.IO.Path.GetRelativePath(_root, f).Replace(System.IO.Path.DirectorySeparatorChar, '/')))
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(f => f.Key, StringComparer.Ordinal);
        foreach (var (path, key) in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var info = new FileInfo(path);
            yield return new StoredObject(key, info.Length, info.LastWriteTimeUtc);
            await Task.CompletedTask;
        }
    }

    public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default) =>
        Task.FromResult<Uri?>(null);

    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        if (File.Exists(_root))
            throw new StorageUnavailableException($"Storage:Path '{_root}' is a file, not a folder.");
        try
        {
            Directory.CreateDirectory(_root);
            var probe = System.IO.Path.Combine(_root, $".probe-{Guid.NewGuid():N}");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StorageUnavailableException($"Storage:Path '{_root}' is not a writable folder: {e.Message}", e);
        }
    }

    private string PathOf(string key)
    {
        ObjectKeys.Validate(key);
        return System.IO.Path.Combine(_root, key);
    }
}

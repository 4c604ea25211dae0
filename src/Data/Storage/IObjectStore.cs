namespace AnnotateAnyone.Data.Storage;

/// <summary>
/// Where originals, thumbnails, parsing maps, model weights and releases live. Two implementations: the local
/// filesystem (single machine) and any S3-compatible server through the MinIO SDK (many machines).
/// Keys are relative paths of [A-Za-z0-9._-] segments separated by '/'.
/// </summary>
public interface IObjectStore
{
    /// <summary>A human-readable location for logs and errors, without secrets.</summary>
    string Location { get; }

    /// <summary>Writes (or replaces) an object; a reader never sees a half-written object.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a finished local file as an object and removes the file: a store on the same disk takes it by renaming
    /// it (a release's gigabytes of JSON Lines are not copied again); others upload it.
    /// </summary>
    async Task PutFileAsync(string key, string path, string contentType, CancellationToken cancellationToken = default)
    {
        await using (var content = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            await PutAsync(key, content, contentType, cancellationToken);
        File.Delete(path);
    }

    /// <summary>Opens an object for reading; throws <see cref="ObjectNotFoundException"/> when it is absent.</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>A time-limited address a browser can download from directly, or null when the store has none
    /// (the filesystem store: the Web host streams the object instead).</summary>
    Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default);

    /// <summary>Verifies the store is reachable and writable; throws <see cref="StorageUnavailableException"/>.</summary>
    Task CheckAsync(CancellationToken cancellationToken = default);
}

public sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);

public sealed class ObjectNotFoundException(string key, string location)
    : Exception($"Object '{key}' does not exist in {location}.")
{
    public string Key { get; } = key;
}

public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

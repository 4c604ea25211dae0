using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Worker.Tests;

/// <summary>An object store that lets a test act around writes: fail one (a store going away), or stop the job after one (a Worker killed).</summary>
public sealed class InterceptingStore(IObjectStore inner, Action<string>? beforePut = null, Action<string>? afterPut = null) : IObjectStore
{
    public string Location => inner.Location;

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        beforePut?.Invoke(key);
        await inner.PutAsync(key, content, contentType, cancellationToken);
        afterPut?.Invoke(key);
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);
    public Task<StoredObject?> StatAsync(string key, CancellationToken cancellationToken = default) => inner.StatAsync(key, cancellationToken);
    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    public IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);
    public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, CancellationToken cancellationToken = default) => inner.GetDownloadUrlAsync(key, validFor, cancellationToken);
    public Task CheckAsync(CancellationToken cancellationToken = default) => inner.CheckAsync(cancellationToken);
}

namespace AnnotateAnyone.Data.Storage;

public static class ObjectStoreExtensions
{
    /// <summary>An object's bytes, for objects small enough to hold (images, maps, checkpoints); throws <see cref="ObjectNotFoundException"/>.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}

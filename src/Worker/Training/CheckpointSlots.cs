using System.Buffers.Binary;
using System.Security.Cryptography;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// A training run's checkpoints in two alternating objects, each sealed with its step and the SHA-256 of its bytes.
/// A Worker killed while writing one (some S3 servers keep a partial object) still leaves the other intact, and
/// resuming takes the newest checkpoint that checks out.
/// </summary>
internal sealed class CheckpointSlots(IObjectStore store, string prefix)
{
    private const int StepBytes = 8;
    private const int HashBytes = 32;

    private int _next;

    private string Key(int slot) => $"{prefix}.{slot}.ckpt";

    public async Task WriteAsync(int step, Action<Stream> write, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        buffer.Write(new byte[StepBytes]);
        write(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        BinaryPrimitives.WriteInt64LittleEndian(bytes, step);
        buffer.Write(SHA256.HashData(bytes));
        buffer.Position = 0;
        await store.PutAsync(Key(_next), buffer, "application/octet-stream", cancellationToken);
        _next ^= 1;
    }

    /// <summary>The newest intact checkpoint's content, or null when there is none (a damaged one is passed over).</summary>
    public async Task<Stream?> ReadNewestAsync(CancellationToken cancellationToken)
    {
        (int Slot, long Step, byte[] Bytes)? newest = null;
        for (var slot = 0; slot < 2; slot++)
        {
            if (await store.StatAsync(Key(slot), cancellationToken) is null) continue;
            var bytes = await store.ReadAllBytesAsync(Key(slot), cancellationToken);
            if (bytes.Length < StepBytes + HashBytes || !SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashBytes)).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes))) continue;
            var step = BinaryPrimitives.ReadInt64LittleEndian(bytes);
            if (newest is null || step > newest.Value.Step) newest = (slot, step, bytes);
        }
        if (newest is not { } found) return null;
        _next = found.Slot ^ 1;
        return new MemoryStream(found.Bytes, StepBytes, found.Bytes.Length - StepBytes - HashBytes, writable: false);
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        for (var slot = 0; slot < 2; slot++) await store.DeleteAsync(Key(slot), cancellationToken);
    }
}

using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Worker.Training;

namespace AnnotateAnyone.Worker.Tests.Training;

public sealed class CheckpointSlotsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"aa-checkpoints-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Resuming_takes_the_newest_checkpoint_that_is_intact_and_passes_over_a_torn_one()
    {
        var store = new FileSystemObjectStore(_root);
        var slots = new CheckpointSlots(store, "checkpoints/run-1");
        await slots.WriteAsync(5, s => s.Write("five"u8), default);
        await slots.WriteAsync(10, s => s.Write("ten"u8), default);
        Assert.Equal("ten", await ReadAsync(await new CheckpointSlots(store, "checkpoints/run-1").ReadNewestAsync(default)));

        // The newest was cut short, as a Worker killed mid-upload leaves it on some S3 servers.
        var torn = Path.Combine(_root, "checkpoints", "run-1.1.ckpt");
        await File.WriteAllBytesAsync(torn, (await File.ReadAllBytesAsync(torn))[..^4]);

        var resumed = new CheckpointSlots(store, "checkpoints/run-1");
        Assert.Equal("five", await ReadAsync(await resumed.ReadNewestAsync(default)));
        await resumed.WriteAsync(15, s => s.Write("fifteen"u8), default);
        Assert.Equal("fifteen", await ReadAsync(await new CheckpointSlots(store, "checkpoints/run-1").ReadNewestAsync(default)));

        await resumed.DeleteAsync(default);
        Assert.Null(await new CheckpointSlots(store, "checkpoints/run-1").ReadNewestAsync(default));
    }

    private static async Task<string> ReadAsync(Stream? stream)
    {
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}

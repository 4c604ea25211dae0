using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Data.Tests.Storage;

public sealed class FileSystemObjectStoreTests : ObjectStoreContract, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"aa-store-{Guid.NewGuid():N}");

    public FileSystemObjectStoreTests() => Store = new FileSystemObjectStore(_root);

    protected override IObjectStore Store { get; }

    [Fact]
    public async Task No_partial_files_are_left_behind_after_a_put()
    {
        await Store.PutAsync("atomic/object.bin", new MemoryStream(new byte[1000]), "application/octet-stream");

        Assert.Equal(["object.bin"], Directory.GetFiles(Path.Combine(_root, "atomic")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_local_file_that_is_missing_leaves_no_object_and_no_temporary_file()
    {
        await Store.PutAsync("atomic/kept.bin", new MemoryStream(new byte[10]), "application/octet-stream");

        await Assert.ThrowsAsync<FileNotFoundException>(() => Store.PutFileAsync("atomic/kept.bin", Path.Combine(_root, "no-such-file"), "application/octet-stream"));

        Assert.Equal(10, (await Store.StatAsync("atomic/kept.bin"))!.Size);
        Assert.Equal(["kept.bin"], Directory.GetFiles(Path.Combine(_root, "atomic")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_failed_put_leaves_no_object_and_no_temporary_file()
    {
        await Assert.ThrowsAsync<IOException>(() => Store.PutAsync("atomic/failed.bin", new FailingStream(), "application/octet-stream"));

        Assert.Null(await Store.StatAsync("atomic/failed.bin"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, "atomic")));
    }

    [Fact]
    public async Task The_filesystem_store_has_no_download_address_so_the_web_host_streams()
    {
        Assert.Null(await Store.GetDownloadUrlAsync("any/key.bin", TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task Check_refuses_a_path_that_is_a_file()
    {
        var file = Path.GetTempFileName();
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => new FileSystemObjectStore(file).CheckAsync());
        Assert.Contains("is a file, not a folder", error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private sealed class FailingStream : MemoryStream
    {
        public FailingStream() : base(new byte[100]) { }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("the upload broke off");
    }
}

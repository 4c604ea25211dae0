using System.Text;
using AnnotateAnyone.Data.Storage;

namespace AnnotateAnyone.Data.Tests.Storage;

/// <summary>The behaviour both stores promise; each store's test class runs all of it against a real backend.</summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    [Fact]
    public async Task Put_then_open_returns_the_same_bytes()
    {
        var bytes = RandomBytes(70_000);
        await Store.PutAsync("contract/a/b.bin", new MemoryStream(bytes), "application/octet-stream");

        await using var read = await Store.OpenReadAsync("contract/a/b.bin");
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task An_empty_object_is_stored_and_read_back_empty()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Store.PutAsync("contract/empty.jsonl", new MemoryStream(), "application/x-ndjson", timeout.Token);

        Assert.Equal(0, (await Store.StatAsync("contract/empty.jsonl", timeout.Token))!.Size);
        Assert.Empty(await Store.ReadAllBytesAsync("contract/empty.jsonl", timeout.Token));
    }

    [Fact]
    public async Task Put_of_a_stream_of_unknown_length_stores_it_whole()
    {
        var bytes = RandomBytes(6 * 1024 * 1024 + 17);
        await Store.PutAsync("contract/unknown-length.bin", new ForwardOnlyStream(bytes), "application/octet-stream");

        var stat = await Store.StatAsync("contract/unknown-length.bin");
        Assert.Equal(bytes.Length, stat?.Size);
    }

    [Fact]
    public async Task A_local_file_put_is_stored_whole_and_the_local_file_is_gone()
    {
        var bytes = RandomBytes(300_000);
        var local = Path.Combine(Path.GetTempPath(), $"aa-local-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, bytes);

        await Store.PutFileAsync("contract/from-file.bin", local, "application/octet-stream");

        Assert.Equal(bytes, await Store.ReadAllBytesAsync("contract/from-file.bin"));
        Assert.False(File.Exists(local));
    }

    [Fact]
    public async Task Put_replaces_an_existing_object()
    {
        await Store.PutAsync("contract/replace.txt", Text("first"), "text/plain");
        await Store.PutAsync("contract/replace.txt", Text("second"), "text/plain");

        Assert.Equal("second", await ReadTextAsync("contract/replace.txt"));
    }

    [Fact]
    public async Task Stat_of_a_missing_object_is_null_and_open_throws_not_found()
    {
        Assert.Null(await Store.StatAsync("contract/missing.bin"));
        var error = await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("contract/missing.bin"));
        Assert.Contains("contract/missing.bin", error.Message);
    }

    [Fact]
    public async Task List_returns_the_objects_under_a_prefix_in_key_order()
    {
        foreach (var key in new[] { "list/b/2.txt", "list/a/1.txt", "list/b/3.txt", "other/4.txt" })
            await Store.PutAsync(key, Text(key), "text/plain");

        var keys = new List<string>();
        await foreach (var item in Store.ListAsync("list/")) keys.Add(item.Key);

        Assert.Equal(["list/a/1.txt", "list/b/2.txt", "list/b/3.txt"], keys);
    }

    [Fact]
    public async Task Delete_removes_the_object()
    {
        await Store.PutAsync("contract/delete.txt", Text("x"), "text/plain");
        await Store.DeleteAsync("contract/delete.txt");

        Assert.Null(await Store.StatAsync("contract/delete.txt"));
    }

    [Fact]
    public async Task Deleting_an_object_that_was_never_stored_succeeds()
    {
        await Store.DeleteAsync("contract/never/stored/here.txt");

        Assert.Null(await Store.StatAsync("contract/never/stored/here.txt"));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/absolute.txt")]
    [InlineData("a//b.txt")]
    [InlineData("a/../../b.txt")]
    [InlineData("spaces are bad.txt")]
    [InlineData("")]
    public async Task Keys_that_could_escape_or_confuse_the_store_are_refused(string key)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, Text("x"), "text/plain"));
        Assert.Contains("not a valid object key", error.Message);
    }

    [Fact]
    public async Task Check_passes_for_a_reachable_writable_store() => await Store.CheckAsync();

    protected async Task<string> ReadTextAsync(string key)
    {
        await using var stream = await Store.OpenReadAsync(key);
        return await new StreamReader(stream).ReadToEndAsync();
    }

    protected static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    /// <summary>A stream that cannot seek or tell its length, like an HTTP upload body.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

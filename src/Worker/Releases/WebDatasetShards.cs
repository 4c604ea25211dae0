using System.Formats.Tar;
using System.Text;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// WebDataset tar shards of one split: per image <c>{sha256}.jpg</c> (or .png, .webp: the original's bytes),
/// <c>{sha256}.json</c> (the image's columns) and <c>{sha256}.txt</c> (its caption). A shard closes before the
/// sample that would take it past the shard size, and is handed on (uploaded) at once, so the local disk holds
/// one shard at a time. Entries carry a fixed time and owner, so the same rows give the same bytes.
/// </summary>
internal sealed class WebDatasetShards(string folder, string split, long shardBytes, ReleaseJsonLayout layout, Func<string, Task> completed) : IAsyncDisposable
{
    private static readonly DateTimeOffset EntryTime = DateTimeOffset.UnixEpoch;

    private readonly ReleaseJsonWriter _json = new();
    private FileStream? _stream;
    private TarWriter? _tar;
    private string? _path;
    private long _bytes;
    private int _shard;

    public async Task AddAsync(ReleaseRow row)
    {
        _json.Clear();
        _json.WriteObject(layout, row);
        var caption = Encoding.UTF8.GetBytes(row.Caption);
        var image = row.Image ?? throw new InvalidOperationException($"Image {row.Record.Key} has no bytes for its shard.");
        // 512-byte header per entry, contents padded to 512.
        var sampleBytes = 3 * 512 + Padded(image.Length) + Padded(_json.Written.Length) + Padded(caption.Length);
        if (_tar is not null && _bytes > 0 && _bytes + sampleBytes > shardBytes) await CloseShardAsync();
        if (_tar is null) OpenShard();

        var key = row.Record.Key;
        Write($"{key}.{row.Record.Extension}", image);
        Write($"{key}.json", _json.Written.ToArray());
        Write($"{key}.txt", caption);
        _bytes += sampleBytes;
    }

    public async ValueTask DisposeAsync()
    {
        // Every split has at least one shard, so readers given a split's shard pattern never find nothing.
        if (_tar is null && _shard == 0) OpenShard();
        if (_tar is not null) await CloseShardAsync();
    }

    public static string ShardName(string split, int shard) => $"{split}-{shard:D6}.tar";

    private void OpenShard()
    {
        _path = Path.Combine(folder, ShardName(split, _shard++));
        _stream = new FileStream(_path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _tar = new TarWriter(_stream, TarEntryFormat.Ustar, leaveOpen: false);
        _bytes = 0;
    }

    private async Task CloseShardAsync()
    {
        // TarWriter writes no end-of-archive blocks for an archive without entries; tar readers need them.
        if (_bytes == 0) _stream!.Write(new byte[1024]);
        _tar!.Dispose();
        _tar = null;
        _stream = null;
        await completed(_path!);
    }

    private void Write(string name, byte[] content)
    {
        var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content, writable: false),
            ModificationTime = EntryTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            Uid = 0,
            Gid = 0,
            UserName = "",
            GroupName = "",
        };
        _tar!.WriteEntry(entry);
    }

    private static long Padded(long length) => (length + 511) / 512 * 512;
}

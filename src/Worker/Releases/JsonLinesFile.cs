using System.Security.Cryptography;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// One JSON object per line, the same columns as the Parquet file; images as base64 when carried. Lines collect in a
/// block while the block before is hashed and written on another thread: a million-image file is gigabytes (every
/// column of every row is written, nulls too), and copying them into the file and hashing them took as long as
/// making them. The SHA-256 is taken as blocks are written, so the file is never read back.
/// </summary>
internal sealed class JsonLinesFile : IAsyncDisposable
{
    /// <summary>Lines collect in memory and go to the file in blocks of about this size (a write per line costs a system call).</summary>
    private const int BlockBytes = 1 << 20;

    private readonly FileStream _stream;
    private ReleaseJsonWriter _json = new(BlockBytes + (BlockBytes >> 2));
    private ReleaseJsonWriter _writing = new(BlockBytes + (BlockBytes >> 2));
    private Task _written = Task.CompletedTask;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly ReleaseJsonLayout _layout;
    private readonly bool _withImages;

    public JsonLinesFile(string path, ReleaseJsonLayout layout, bool withImages)
    {
        Path = path;
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _layout = layout;
        _withImages = withImages;
    }

    public string Path { get; }

    /// <summary>The file's SHA-256 in hex, once it is closed.</summary>
    public string? Sha256 { get; private set; }

    public async ValueTask AddAsync(ReleaseRow row, string? imagePath = null)
    {
        _json.WriteObject(_layout, row, _withImages ? json => Image(json, row, imagePath) : null);
        _json.Raw("\n"u8);
        if (_json.Written.Length >= BlockBytes) await WriteBlockAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Sha256 is not null) return;
        try
        {
            await WriteBlockAsync();
            await _written;
            Sha256 = Convert.ToHexStringLower(_sha256.GetHashAndReset());
        }
        finally
        {
            await _stream.DisposeAsync();
            _sha256.Dispose();
        }
    }

    private static void Image(ReleaseJsonWriter json, ReleaseRow row, string? imagePath)
    {
        json.Raw(""","image":{"bytes":"""u8);
        if (row.Image is { } bytes) json.Base64(bytes);
        else json.Null();
        json.Raw(""","path":"""u8);
        if (imagePath is not null) json.String(imagePath);
        else json.Null();
        json.Raw("}"u8);
    }

    /// <summary>Hands the block on to be hashed and written once the one before is, and starts the next.</summary>
    private async Task WriteBlockAsync()
    {
        await _written;
        (_writing, _json) = (_json, _writing);
        _json.Clear();
        var block = _writing;
        _written = Task.Run(() =>
        {
            _sha256.AppendData(block.Written);
            _stream.Write(block.Written);
        });
    }
}

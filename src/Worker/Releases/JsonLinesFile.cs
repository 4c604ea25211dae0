using System.Buffers;
using System.Text.Json;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>One JSON object per line, the same columns as the Parquet file; images as base64 when carried.</summary>
internal sealed class JsonLinesFile : IDisposable
{
    /// <summary>Lines collect in memory and go to the file in blocks of about this size (a flush per line costs a system call).</summary>
    private const int BlockBytes = 1 << 20;

    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    private readonly FileStream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(BlockBytes + (BlockBytes >> 2));
    private readonly Utf8JsonWriter _json;
    private readonly IReadOnlyList<ReleaseField> _fields;
    private readonly bool _withImages;

    public JsonLinesFile(string path, IReadOnlyList<ReleaseField> fields, bool withImages)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        _json = new Utf8JsonWriter(_buffer, Options);
        _fields = fields;
        _withImages = withImages;
    }

    public void Add(ReleaseRow row, string? imagePath = null)
    {
        _json.WriteStartObject();
        foreach (var field in _fields) field.WriteJson(_json, row);
        if (_withImages)
        {
            _json.WriteStartObject("image");
            _json.WriteBase64String("bytes", row.Image);
            _json.WriteString("path", imagePath);
            _json.WriteEndObject();
        }
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        _buffer.Write("\n"u8);
        if (_buffer.WrittenCount >= BlockBytes) WriteBlock();
    }

    public void Dispose()
    {
        _json.Flush();
        WriteBlock();
        _json.Dispose();
        _stream.Dispose();
    }

    private void WriteBlock()
    {
        _stream.Write(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
    }
}

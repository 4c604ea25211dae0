using System.Text.Json;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>One JSON object per line, the same columns as the Parquet file; images as base64 when carried.</summary>
internal sealed class JsonLinesFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly Utf8JsonWriter _json;
    private readonly IReadOnlyList<ReleaseField> _fields;
    private readonly bool _withImages;

    public JsonLinesFile(string path, IReadOnlyList<ReleaseField> fields, bool withImages)
    {
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        _json = new Utf8JsonWriter(_stream);
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
        _stream.WriteByte((byte)'\n');
    }

    public void Dispose()
    {
        _json.Dispose();
        _stream.Dispose();
    }
}

using System.Text.Json;
using ParquetSharp;
using ParquetSharp.Schema;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// A Parquet file written row group by row group from <see cref="ReleaseField"/>s. With images, an <c>image</c>
/// struct of <c>bytes</c> and <c>path</c> is added, in the layout of Hugging Face <c>datasets</c>' Image feature,
/// and the file's metadata names the features, so <c>load_dataset("parquet", ...)</c> decodes it as images.
/// Row groups close at a row count or, with images, at a byte budget, so memory stays bounded.
/// </summary>
internal sealed class ParquetTable : IDisposable
{
    private const int RowGroupRows = 4096;
    private const long RowGroupImageBytes = 128L << 20;

    private readonly ParquetFileWriter _file;
    private readonly IColumnBuffer[] _buffers;
    private readonly bool _withImages;
    private readonly List<byte[]?> _images = [];
    private readonly List<string?> _paths = [];
    private long _imageBytes;
    private int _rows;
    private int _rowGroups;

    public ParquetTable(string path, IReadOnlyList<ReleaseField> fields, bool withImages)
    {
        _withImages = withImages;
        _buffers = fields.Select(f => f.Buffer(RowGroupRows)).ToArray();
        var nodes = fields.Select(f => f.ParquetColumn().CreateSchemaNode()).ToList();
        if (withImages)
            nodes.Add(new GroupNode("image", Repetition.Optional, [
                new PrimitiveNode("bytes", Repetition.Optional, LogicalType.None(), PhysicalType.ByteArray),
                new PrimitiveNode("path", Repetition.Optional, LogicalType.String(), PhysicalType.ByteArray)]));
        using var schema = new GroupNode("schema", Repetition.Required, nodes.ToArray());
        // Snappy: the codec every reader has, and the cheapest to write. Columns unique per row gain nothing from
        // dictionaries or min/max statistics and cost the writer most, so they go without.
        var builder = new WriterPropertiesBuilder().Compression(Compression.Snappy).CreatedBy("Annotate Anyone");
        foreach (var unique in fields.Where(f => f.UniquePerRow).Select(f => f.Name).Concat(withImages ? ["image.bytes", "image.path"] : []))
            builder.DisableDictionary(unique).DisableStatistics(unique);
        using var properties = builder.Build();
        _file = new ParquetFileWriter(path, schema, properties, new Dictionary<string, string> { ["huggingface"] = HuggingFaceMetadata(fields, withImages) });
        foreach (var node in nodes) node.Dispose();
    }

    public void Add(ReleaseRow row, string? imagePath = null)
    {
        foreach (var buffer in _buffers) buffer.Add(row);
        if (_withImages)
        {
            _images.Add(row.Image);
            _paths.Add(imagePath);
            _imageBytes += row.Image?.Length ?? 0;
        }
        if (++_rows == RowGroupRows || _imageBytes >= RowGroupImageBytes) Flush();
    }

    public void Dispose()
    {
        Flush();
        _file.Close();
        _file.Dispose();
    }

    private void Flush()
    {
        // An empty file still gets one (empty) row group, so every split's file has the full schema and reads as zero rows.
        if (_rows == 0 && _rowGroups > 0) return;
        _rowGroups++;
        using var rowGroup = _file.AppendRowGroup();
        foreach (var buffer in _buffers) buffer.WriteTo(rowGroup, _rows);
        if (_withImages)
        {
            using (var bytes = rowGroup.NextColumn().LogicalWriter<Nested<byte[]?>?>())
                bytes.WriteBatch(_images.Select(i => (Nested<byte[]?>?)new Nested<byte[]?>(i)).ToArray());
            using (var paths = rowGroup.NextColumn().LogicalWriter<Nested<string?>?>())
                paths.WriteBatch(_paths.Select(p => (Nested<string?>?)new Nested<string?>(p)).ToArray());
            _images.Clear();
            _paths.Clear();
            _imageBytes = 0;
        }
        _rows = 0;
    }

    private static string HuggingFaceMetadata(IReadOnlyList<ReleaseField> fields, bool withImages)
    {
        var features = fields.ToDictionary(f => f.Name, f => f.Feature);
        if (withImages) features["image"] = new { _type = "Image" };
        return JsonSerializer.Serialize(new { info = new { features } });
    }
}

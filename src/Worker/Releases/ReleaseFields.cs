using System.Runtime.CompilerServices;
using AnnotateAnyone.Data.Releases;
using ParquetSharp;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>The image being written, with what the formats derive from it (caption, bytes when they are carried).</summary>
internal sealed class ReleaseRow(ReleaseColumns columns)
{
    public ReleaseColumns Columns { get; } = columns;
    public ReleaseRecord Record { get; private set; } = null!;
    public string Caption { get; private set; } = "";

    /// <summary>The original's bytes, when some format carries them; null otherwise.</summary>
    public byte[]? Image { get; private set; }

    public void Set(ReleaseRecord record, byte[]? image)
    {
        Record = record;
        Caption = Columns.CaptionText(record);
        Image = image;
    }
}

/// <summary>
/// One column of a tabular release file, defined once and written by every format: Parquet (buffered per row
/// group), JSON Lines and the JSON of WebDataset samples. A null value is written as null, so every reader sees
/// every column.
/// </summary>
internal abstract class ReleaseField(string name)
{
    public string Name { get; } = name;

    /// <summary>Every row has its own value (hashes, keys, captions): no dictionary encoding helps.</summary>
    public bool UniquePerRow { get; init; }

    /// <summary>The attribute slot of a label column: the value is null wherever the image has no label there.</summary>
    public int? LabelSlot { get; init; }

    public abstract Column ParquetColumn();

    /// <summary>The Hugging Face <c>datasets</c> feature of this column.</summary>
    public abstract object Feature { get; }

    public abstract IColumnBuffer Buffer(int capacity);

    public abstract void WriteJsonValue(ReleaseJsonWriter json, ReleaseRow row);
}

internal interface IColumnBuffer
{
    void Add(ReleaseRow row);
    void WriteTo(RowGroupWriter rowGroup, int count);
}

internal sealed class ReleaseField<T>(string name, Func<ReleaseRow, T> value) : ReleaseField(name)
{
    public override Column ParquetColumn() => new Column<T>(Name);

    public override object Feature => typeof(T) == typeof(string[])
        ? new { feature = new { dtype = "string", _type = "Value" }, _type = "Sequence" }
        : new { dtype = DType, _type = "Value" };

    private static string DType =>
        (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) switch
        {
            var t when t == typeof(long) => "int64",
            var t when t == typeof(int) => "int32",
            var t when t == typeof(float) => "float32",
            _ => "string",
        };

    public override IColumnBuffer Buffer(int capacity) => new Buffered(value, capacity);

    public override void WriteJsonValue(ReleaseJsonWriter json, ReleaseRow row) => JsonValue(json, value(row));

    /// <summary>Writes a value of this column's type without boxing (JSON Lines of a million rows feel every call).</summary>
    private static readonly Action<ReleaseJsonWriter, T> JsonValue = JsonWriterFor();

    private static Action<ReleaseJsonWriter, T> JsonWriterFor()
    {
        if (typeof(T) == typeof(long)) return (json, v) => json.Number(Unsafe.As<T, long>(ref v));
        if (typeof(T) == typeof(int)) return (json, v) => json.Number(Unsafe.As<T, int>(ref v));
        if (typeof(T) == typeof(int?)) return (json, v) =>
        {
            if (Unsafe.As<T, int?>(ref v) is { } i) json.Number(i);
            else json.Null();
        };
        if (typeof(T) == typeof(float?)) return (json, v) =>
        {
            if (Unsafe.As<T, float?>(ref v) is { } f) json.Number(MathF.Round(f, 6));
            else json.Null();
        };
        if (typeof(T) == typeof(string)) return (json, v) =>
        {
            if (Unsafe.As<T, string?>(ref v) is { } s) json.String(s);
            else json.Null();
        };
        if (typeof(T) == typeof(string[])) return (json, v) =>
        {
            if (Unsafe.As<T, string[]?>(ref v) is { } strings) json.Strings(strings);
            else json.Null();
        };
        throw new NotSupportedException($"Release columns of type {typeof(T).Name} cannot be written as JSON.");
    }

    private sealed class Buffered(Func<ReleaseRow, T> value, int capacity) : IColumnBuffer
    {
        private readonly T[] _values = new T[capacity];
        private int _count;

        public void Add(ReleaseRow row) => _values[_count++] = value(row);

        public void WriteTo(RowGroupWriter rowGroup, int count)
        {
            using (var writer = rowGroup.NextColumn().LogicalWriter<T>()) writer.WriteBatch(_values, 0, count);
            Array.Clear(_values, 0, _count);
            _count = 0;
        }
    }
}

/// <summary>The columns of the platform's own Parquet, JSON Lines and WebDataset JSON: image, caption, labels with provenance.</summary>
internal static class ReleaseFieldSet
{
    public static IReadOnlyList<ReleaseField> Of(ReleaseColumns columns)
    {
        var fields = new List<ReleaseField>
        {
            new ReleaseField<long>("id", r => r.Record.ImageId),
            new ReleaseField<string>("sha256", r => r.Record.Key) { UniquePerRow = true },
            new ReleaseField<int>("width", r => r.Record.Width),
            new ReleaseField<int>("height", r => r.Record.Height),
            new ReleaseField<string>("storage_key", r => r.Record.OriginalKey) { UniquePerRow = true },
            new ReleaseField<string?>("parsing_map_key", r => r.Record.ParsingMapKey) { UniquePerRow = true },
            new ReleaseField<string>("caption", r => r.Caption) { UniquePerRow = true },
        };
        for (var g = 0; g < columns.Groups.Count; g++)
        {
            var position = g;
            fields.Add(new ReleaseField<string?>(ReleaseColumns.CaptionColumn(columns.Groups[g]), r => r.Columns.GroupPhrases[position]));
        }
        foreach (var attribute in columns.Attributes)
        {
            var slot = attribute.Slot;
            fields.Add(attribute.IsMultiple
                ? new ReleaseField<string[]?>(attribute.Column, r => r.Columns.Multiple(r.Record, attribute)) { LabelSlot = slot }
                : new ReleaseField<string?>(attribute.Column, r => r.Columns.Single(r.Record, attribute)) { LabelSlot = slot });
            fields.Add(new ReleaseField<string?>(attribute.SourceColumn, r => ReleaseColumns.Source(r.Record, attribute)) { LabelSlot = slot });
            fields.Add(new ReleaseField<float?>(attribute.ConfidenceColumn, r => r.Record.Values[slot] is null ? null : r.Record.Confidences[slot]) { LabelSlot = slot });
            fields.Add(new ReleaseField<int?>(attribute.ModelColumn, r => r.Record.Values[slot] is null ? null : r.Columns.ModelNumber(r.Record, attribute)) { LabelSlot = slot });
        }
        return fields;
    }
}

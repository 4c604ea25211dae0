using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// Writes release rows as JSON objects straight into a byte buffer: each field's <c>"name":</c> is encoded once, and
/// values are formatted in place. A row has some 250 fields (four per attribute, most of them null), and through
/// <see cref="Utf8JsonWriter"/> they cost a million-image JSON Lines file about half its build time. Strings that
/// need escaping still go through <see cref="Utf8JsonWriter"/>, so the text is what it would write.
/// </summary>
internal sealed class ReleaseJsonWriter
{
    private readonly ArrayBufferWriter<byte> _output;
    private readonly Utf8JsonWriter _escaping;

    public ReleaseJsonWriter(int initialCapacity = 1 << 16)
    {
        _output = new ArrayBufferWriter<byte>(initialCapacity);
        _escaping = new Utf8JsonWriter(_output, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>What has been written since the last <see cref="Clear"/>.</summary>
    public ReadOnlySpan<byte> Written => _output.WrittenSpan;

    public void Clear() => _output.ResetWrittenCount();

    /// <summary>Writes the row's fields as one object; <paramref name="more"/> adds properties after them.</summary>
    public void WriteObject(ReleaseJsonLayout layout, ReleaseRow row, Action<ReleaseJsonWriter>? more = null)
    {
        Raw("{"u8);
        foreach (var run in layout.Runs)
        {
            if (run.Slot is { } slot && row.Record.Values[slot] is null)
            {
                Raw(run.AllNull.Span);
                continue;
            }
            foreach (var field in run.Fields)
            {
                Raw(field.Separated.Span);
                field.Field.WriteJsonValue(this, row);
            }
        }
        more?.Invoke(this);
        Raw("}"u8);
    }

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
    }

    public void Null() => Raw("null"u8);

    public void Number(long value)
    {
        Utf8Formatter.TryFormat(value, _output.GetSpan(20), out var written);
        _output.Advance(written);
    }

    public void Number(float value)
    {
        if (!float.IsFinite(value)) throw new ArgumentException($"{value} cannot be written as a JSON number.", nameof(value));
        value.TryFormat(_output.GetSpan(32), out var written, default, CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void String(string value)
    {
        if (!IsPlain(value))
        {
            _escaping.WriteStringValue(value);
            _escaping.Flush();
            _escaping.Reset();
            return;
        }
        var span = _output.GetSpan(value.Length + 2);
        span[0] = (byte)'"';
        for (var i = 0; i < value.Length; i++) span[i + 1] = (byte)value[i];
        span[value.Length + 1] = (byte)'"';
        _output.Advance(value.Length + 2);
    }

    public void Strings(string[] values)
    {
        Raw("["u8);
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0) Raw(","u8);
            String(values[i]);
        }
        Raw("]"u8);
    }

    public void Base64(ReadOnlySpan<byte> bytes)
    {
        var length = System.Buffers.Text.Base64.GetMaxEncodedToUtf8Length(bytes.Length);
        var span = _output.GetSpan(length + 2);
        span[0] = (byte)'"';
        System.Buffers.Text.Base64.EncodeToUtf8(bytes, span[1..], out _, out var written);
        span[written + 1] = (byte)'"';
        _output.Advance(written + 2);
    }

    /// <summary>
    /// Text JSON writes as it is: letters, digits and the punctuation of keys, paths and captions. Anything else (quotes,
    /// backslashes, control characters, non-ASCII letters, what HTML treats specially) takes the escaping writer.
    /// </summary>
    private static bool IsPlain(string value)
    {
        foreach (var c in value)
            if (!(char.IsAsciiLetterOrDigit(c) || c is ' ' or '_' or '-' or '.' or ',' or ':' or '/' or '(' or ')'))
                return false;
        return true;
    }
}

/// <summary>
/// The fields of a JSON object in runs: a label's fields together (value, source, confidence, model), written as one
/// prepared run of nulls where the image has no label there, as most attributes of most images have none.
/// </summary>
internal sealed class ReleaseJsonLayout
{
    public ReleaseJsonLayout(IReadOnlyList<ReleaseField> fields)
    {
        var runs = new List<Run>();
        for (var i = 0; i < fields.Count;)
        {
            var end = i + 1;
            while (fields[i].LabelSlot is { } slot && end < fields.Count && fields[end].LabelSlot == slot) end++;
            var run = Enumerable.Range(i, end - i).Select(f => new SeparatedField(fields[f], PropertyName(fields[f].Name, first: f == 0))).ToArray();
            var allNull = run.SelectMany(f => f.Separated.ToArray().Concat("null"u8.ToArray())).ToArray();
            runs.Add(new Run(fields[i].LabelSlot, run, allNull));
            i = end;
        }
        Runs = runs;
    }

    public IReadOnlyList<Run> Runs { get; }

    /// <summary><c>,"name":</c> as written before a value (no comma before the first): the name escaped as JSON would.</summary>
    private static byte[] PropertyName(string name, bool first) =>
        [.. first ? ""u8 : ","u8, .. "\""u8, .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, .. "\":"u8];

    public sealed record SeparatedField(ReleaseField Field, ReadOnlyMemory<byte> Separated);

    /// <summary>Fields written one after another; with a slot, all null where the image has no label in it.</summary>
    public sealed record Run(int? Slot, IReadOnlyList<SeparatedField> Fields, ReadOnlyMemory<byte> AllNull);
}

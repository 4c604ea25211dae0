using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateAnyone.Web;

/// <summary>
/// The API writes a number with no value (an accuracy over no labels is NaN) as null, which every JSON reader
/// takes, instead of failing the response; null reads back as NaN.
/// </summary>
public sealed class UndefinedNumbersAsNull : JsonConverter<double>
{
    public override bool HandleNull => true;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using AnnotateAnyone.Data.Persistence;

namespace AnnotateAnyone.Web;

/// <summary>
/// Refuses text holding the NUL character, in a body or the address: PostgreSQL's text cannot store it, so a name or a
/// filter with one failed deep in the request as a 500 instead of the caller's mistake.
/// </summary>
public sealed class TextWithoutNul : JsonConverter<string>
{
    public const string Refusal = "must not contain the NUL character (\\u0000 in JSON, %00 in an address)";

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Anything but a string is refused by the reader's own words ("must be a string"), as without this converter.
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException();
        return PostgresText.CannotStore(text) ? throw new RefusedJsonValue(Refusal) : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

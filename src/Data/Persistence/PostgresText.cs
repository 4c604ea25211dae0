using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnnotateAnyone.Data.Persistence;

/// <summary>
/// PostgreSQL's text and jsonb cannot hold the NUL character (U+0000), which can still arrive inside what the platform
/// records of the outside world: an upload's file name, a line of a URL list, a value in an imported label file that a
/// job's report quotes. Such text is stored with U+FFFD in its place, as a decoder writes what it cannot read, rather
/// than failing the write, and with it a whole run or the record of a job that did its work.
/// </summary>
public static class PostgresText
{
    /// <summary>Whether <paramref name="text"/> holds the character PostgreSQL cannot store.</summary>
    public static bool CannotStore(string? text) => text?.Contains('\0') == true;

    public static string Storable(string text) => text.Replace('\0', '\uFFFD');

    public static string? StorableOrNull(string? text) => text is null ? null : Storable(text);

    /// <summary>Writes every string of a JSON document (a job's result) storable; reads strings as they are.</summary>
    public sealed class StorableStrings : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(Storable(value));
    }
}

using System.Text.Json;
using AnnotateAnyone.Web.Components;

namespace AnnotateAnyone.Web.Audit;

/// <summary>
/// An audit entry's details as a reader scans them on the page: one "name value" line per field ("after Annotator,
/// DataLead") instead of the JSON the API returns.
/// </summary>
public static class AuditDetails
{
    public static IReadOnlyList<(string Name, string Value)> Fields(JsonElement? details) => details switch
    {
        null or { ValueKind: JsonValueKind.Null } => [],
        { ValueKind: JsonValueKind.Object } fields => fields.EnumerateObject().Select(f => (Words.Of(f.Name), Text(f.Value))).ToList(),
        { } other => [("", Text(other))],
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "none" : string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Select(f => $"{Words.Of(f.Name)} {Text(f.Value)}")),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null => "none",
        _ => value.GetRawText(),
    };
}

using System.Text;
using System.Text.Json;

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
        { ValueKind: JsonValueKind.Object } fields => fields.EnumerateObject().Select(f => (Words(f.Name), Text(f.Value))).ToList(),
        { } other => [("", Text(other))],
    };

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => value.GetArrayLength() == 0 ? "none" : string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.Object => string.Join("; ", value.EnumerateObject().Select(f => $"{Words(f.Name)} {Text(f.Value)}")),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null => "none",
        _ => value.GetRawText(),
    };

    /// <summary>A field's name in lower-case words: "ParentId", "parentId" and "parent_id" all read "parent id".</summary>
    public static string Words(string name)
    {
        var words = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c == '_') { words.Append(' '); continue; }
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(name[i - 1]) && name[i - 1] != '_') words.Append(' ');
            words.Append(char.ToLowerInvariant(c));
        }
        return words.ToString();
    }
}

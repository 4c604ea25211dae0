using System.Text;
using System.Text.Json;
using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Worker.Releases;

/// <summary>
/// The label files of CosmicMan-HQ 1.0, so training code written for it reads our releases unchanged:
/// <c>path</c>, <c>segm_path</c> (the 18-class parsing map), <c>height</c>, <c>width</c>, <c>aa_text</c> (one
/// entry per attribute group in taxonomy order, each a dict attribute → value, or null), <c>aa_ids</c> (per
/// group, the parsing classes that cover it, or null), <c>person_type</c> (the shot type); plus <c>text</c>, the
/// composed caption its users asked for. <c>aa_text</c> and <c>aa_ids</c> are JSON strings, which the
/// CosmicMan-HQ loader accepts. Paths are relative to the layout's folder, where the images and maps are copied.
/// </summary>
internal static class CosmicManLayout
{
    public const string ShotAttribute = "shot.shot_type";

    public static string ImagePath(ReleaseRow row) => $"images/{row.Record.Key}.{row.Record.Extension}";

    public static string? SegmentationPath(ReleaseRow row) => row.Record.ParsingMapKey is null ? null : $"segm/{row.Record.Key}.png";

    /// <summary>The groups <c>aa_text</c> and <c>aa_ids</c> hold, in order: the taxonomy's, less the shot type's (<c>person_type</c> carries it).</summary>
    public static IReadOnlyList<AttributeGroup> TextGroups(TaxonomyIndex taxonomy)
    {
        var shotGroup = taxonomy.Find(ShotAttribute) is { } shot ? taxonomy.GroupOf(shot.Id) : null;
        return taxonomy.Version.Groups.OrderBy(g => g.Position).Where(g => !ReferenceEquals(g, shotGroup)).ToList();
    }

    public static IReadOnlyList<ReleaseField> Fields(ReleaseColumns columns)
    {
        var shot = columns.Attributes.FirstOrDefault(a => a.Key == ShotAttribute);
        var groups = TextGroups(columns.Taxonomy);
        var byGroup = groups.Select(columns.ColumnsOf).ToList();
        var buffer = new MemoryStream();
        return
        [
            new ReleaseField<string>("path", ImagePath) { UniquePerRow = true },
            new ReleaseField<string?>("segm_path", SegmentationPath) { UniquePerRow = true },
            new ReleaseField<int>("height", r => r.Record.Height),
            new ReleaseField<int>("width", r => r.Record.Width),
            new ReleaseField<string>("aa_text", r => Json(buffer, json =>
            {
                json.WriteStartArray();
                foreach (var attributes in byGroup)
                {
                    if (attributes.All(a => r.Record.Values[a.Slot] is null)) { json.WriteNullValue(); continue; }
                    json.WriteStartObject();
                    foreach (var a in attributes.Where(a => r.Record.Values[a.Slot] is not null))
                    {
                        if (a.IsMultiple)
                        {
                            json.WriteStartArray(a.Attribute.Key);
                            foreach (var value in r.Columns.Multiple(r.Record, a)!) json.WriteStringValue(value);
                            json.WriteEndArray();
                        }
                        else json.WriteString(a.Attribute.Key, r.Columns.Single(r.Record, a));
                    }
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            })),
            new ReleaseField<string>("aa_ids", r => Json(buffer, json =>
            {
                json.WriteStartArray();
                for (var i = 0; i < groups.Count; i++)
                {
                    if (byGroup[i].All(a => r.Record.Values[a.Slot] is null)) { json.WriteNullValue(); continue; }
                    json.WriteStartArray();
                    foreach (var parsingClass in groups[i].ParsingClasses) json.WriteNumberValue(parsingClass);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            })),
            new ReleaseField<string?>("person_type", r => shot is null ? null : r.Columns.Single(r.Record, shot)),
            new ReleaseField<string>("text", r => r.Caption) { UniquePerRow = true },
        ];
    }

    private static string Json(MemoryStream buffer, Action<Utf8JsonWriter> write)
    {
        buffer.SetLength(0);
        using (var json = new Utf8JsonWriter(buffer)) write(json);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

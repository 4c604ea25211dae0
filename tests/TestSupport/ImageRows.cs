using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.TestSupport;

/// <summary>Image and label rows written straight to the database, for tests of what reads them.</summary>
public static class ImageRows
{
    /// <summary>One image row per status, in order (ids ascending), with no file behind it.</summary>
    public static async Task<long[]> AddAsync(NpgsqlDataSource dataSource, params ImageStatus[] statuses)
    {
        var ids = new List<long>();
        foreach (var status in statuses)
        {
            await using var command = dataSource.CreateCommand("""
                INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
                VALUES (decode(md5(random()::text) || md5(clock_timestamp()::text), 'hex'), 1, 'test', 'k', @status, 0, 0, false, now(), now())
                RETURNING id
                """);
            command.Parameters.AddWithValue("status", (short)status);
            ids.Add((long)(await command.ExecuteScalarAsync())!);
        }
        return [.. ids];
    }

    /// <summary>A single-value label of <paramref name="attributeKey"/> under <paramref name="taxonomy"/>'s version (source 1: accepted from the AI, 2: a person's).</summary>
    public static async Task LabelAsync(NpgsqlDataSource dataSource, long image, TaxonomyIndex taxonomy, string attributeKey, string valueKey, short source = 2)
    {
        var attribute = taxonomy.Find(attributeKey)!;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_at, revision) VALUES (@image, @attribute, @values, @source, now(), 1)
            """);
        command.Parameters.AddWithValue("image", image);
        command.Parameters.AddWithValue("attribute", attribute.Id);
        command.Parameters.AddWithValue("values", new[] { TaxonomyIndex.FindValue(attribute, valueKey)!.Id });
        command.Parameters.AddWithValue("source", source);
        await command.ExecuteNonQueryAsync();
    }
}

using System.Text.Json;
using AnnotateAnyone.Data.Releases;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>A release says nothing of a garment's parts where its type says the garment is not there.</summary>
public sealed class AbsentGarmentReleaseTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    [Fact]
    public async Task A_release_leaves_out_the_pattern_of_a_coat_whose_type_is_none_and_counts_without_it()
    {
        // The captioner's pattern for a person without a coat, as routing accepted it before it left such labels out.
        var coatless = await harness.ScalarAsync<long>("""
            SELECT min(l.image_id) FROM labels l JOIN attributes a ON a.id = l.attribute_id JOIN attribute_groups g ON g.id = a.group_id
            JOIN images i ON i.id = l.image_id
            WHERE g.key = 'coat' AND a.key = 'type' AND i.status = 3 AND i.flags = 0
              AND EXISTS (SELECT 1 FROM attribute_values v WHERE v.id = ANY (l.value_ids) AND v.marks_absent)
            """);
        var coated = await harness.ScalarAsync<long>("""
            SELECT min(l.image_id) FROM labels l JOIN attributes a ON a.id = l.attribute_id JOIN attribute_groups g ON g.id = a.group_id
            JOIN images i ON i.id = l.image_id
            WHERE g.key = 'coat' AND a.key = 'pattern' AND i.status = 3 AND i.flags = 0
            """);
        await using (var label = harness.DataSource.CreateCommand($"""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, confidence, revision)
            SELECT {coatless}, a.id, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = a.id)], 1, 0.99, 1
            FROM attributes a JOIN attribute_groups g ON g.id = a.group_id JOIN taxonomy_versions t ON t.id = g.taxonomy_version_id
            WHERE t.is_active AND g.key = 'coat' AND a.key = 'pattern'
            """))
            await label.ExecuteNonQueryAsync();
        var stored = await harness.ScalarAsync<long>("SELECT count(*) FROM labels l JOIN images i ON i.id = l.image_id WHERE i.status = 3 AND i.flags = 0");
        var spec = new ReleaseSpec { Formats = [ReleaseFormats.Parquet] };

        long previewed;
        await using (var db = await harness.Database.Contexts.CreateDbContextAsync())
        {
            var query = await ReleaseQuery.ResolveAsync(db, harness.Database.Taxonomy(), spec, CancellationToken.None);
            await using var count = harness.DataSource.CreateCommand(query.CountSql);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            previewed = reader.GetInt64(1);
        }
        var release = await harness.BuildAsync((await harness.DefineAsync("Coatless", "1.0", spec)).Id);

        Assert.Equal(ReleaseStatus.Published, release.Status);
        var rows = await OutsideReaders.DuckDbAsync($"""
            SELECT id, coat_type, coat_pattern FROM read_parquet('{harness.PathOf(release, "parquet/*.parquet")}') WHERE id IN ({coatless}, {coated}) ORDER BY id
            """);
        var row = rows.Single(r => r.GetProperty("id").ToString() == coatless.ToString());
        Assert.Equal("none", row.GetProperty("coat_type").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("coat_pattern").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, rows.Single(r => r.GetProperty("id").ToString() == coated.ToString()).GetProperty("coat_pattern").ValueKind);
        Assert.Equal(stored - 1, previewed);
        Assert.Equal(stored - 1, ReleaseCounts.From(release.Counts)!.Labels);
    }
}

using AnnotateAnyone.Data.Releases;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>
/// A taxonomy change makes a new version with new ids; the labels people made under the old one still make up the
/// data set a release of the new version holds, read by attribute and value key.
/// </summary>
public sealed class TaxonomyChangeReleaseTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    [Fact]
    public async Task A_release_of_a_new_taxonomy_version_reads_the_labels_made_under_the_old_one_by_key_and_the_newest_version_wins()
    {
        var taxonomies = harness.Database.Taxonomy();
        var first = await taxonomies.GetActiveAsync();
        var before = await harness.BuildAsync((await harness.DefineAsync("Changed", "1.0", new ReleaseSpec { Formats = [ReleaseFormats.Parquet] })).Id);
        // The new version drops black hair (its labels have no meaning there) and adds a value nobody has used yet.
        var blackHair = await harness.ScalarAsync<long>($"""
            SELECT count(*) FROM labels l JOIN attribute_values v ON v.id = ANY (l.value_ids)
            WHERE l.attribute_id = {new TaxonomyIndex(first).Find("hair.color")!.Id} AND v.key = 'black'
            """);
        Assert.True(blackHair > 0, "the synthetic people should include black hair");
        var second = await taxonomies.CreateVersionAsync(
            TaxonomyEdits.ReplaceValues(first.ToSpec(), "hair.color", values => [.. values.Where(v => v.Key != "black"), new ValueSpec("silver", "silver")]),
            first.Name, "hair colours reworked", "lead");

        var after = await harness.BuildAsync((await harness.DefineAsync("Changed", "1.1", new ReleaseSpec { Formats = [ReleaseFormats.Parquet] })).Id);

        Assert.Equal(second.Id, after.TaxonomyVersionId);
        var (old, changed) = (ReleaseCounts.From(before.Counts)!, ReleaseCounts.From(after.Counts)!);
        Assert.Equal(old.Images, changed.Images);
        Assert.Equal(old.Labels - blackHair, changed.Labels);

        // An annotator relabels one image's shot type under the new version: that label is the one released.
        var image = await harness.ScalarAsync<long>("SELECT min(id) FROM images WHERE status = 3");
        var shot = new TaxonomyIndex(second).Find("shot.shot_type")!;
        var headshot = shot.Values.Single(v => v.Key == "headshot");
        await using (var relabel = harness.DataSource.CreateCommand($"""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, revision) VALUES ({image}, {shot.Id}, ARRAY[{headshot.Id}], 2, 1)
            """))
            await relabel.ExecuteNonQueryAsync();
        var relabelled = await harness.BuildAsync((await harness.DefineAsync("Changed", "1.2", new ReleaseSpec { Formats = [ReleaseFormats.Parquet] })).Id);

        Assert.Equal(changed.Labels, ReleaseCounts.From(relabelled.Counts)!.Labels);
        var rows = await OutsideReaders.DuckDbAsync(
            $"SELECT id, shot_shot_type, hair_color FROM read_parquet('{harness.PathOf(relabelled, "parquet/*.parquet")}') ORDER BY id");
        Assert.Equal("headshot", rows.Single(r => r.GetProperty("id").ToString() == image.ToString()).GetProperty("shot_shot_type").GetString());
        Assert.DoesNotContain(rows, r => r.GetProperty("hair_color").ToString() == "black");
        Assert.Contains(rows, r => r.GetProperty("hair_color").ToString() == "blonde");
    }
}

using AnnotateAnyone.Data.Releases;

namespace AnnotateAnyone.Worker.Tests.Releases;

/// <summary>An image without a single label has an empty caption: releases leave it out, unless it is flagged and flags are kept.</summary>
public sealed class UnlabelledImageReleaseTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    [Fact]
    public async Task A_verified_image_without_labels_is_left_out_and_a_flagged_one_stays_where_flagged_images_are_kept()
    {
        // One image an annotator completed as it was, with nothing to review; one flagged as bad quality.
        var unlabelled = await harness.ScalarAsync<long>("SELECT min(id) FROM images WHERE status = 3 AND flags = 0");
        var flagged = await harness.ScalarAsync<long>("SELECT max(id) FROM images WHERE status = 3 AND flags = 0");
        await using (var change = harness.DataSource.CreateCommand($"""
            DELETE FROM labels WHERE image_id IN ({unlabelled}, {flagged});
            UPDATE images SET flags = 2 WHERE id = {flagged};
            """))
            await change.ExecuteNonQueryAsync();
        var unflagged = await harness.ScalarAsync<long>("SELECT count(*) FROM images WHERE status = 3 AND flags = 0");

        var usual = await harness.BuildAsync((await harness.DefineAsync("Unlabelled", "1.0", new ReleaseSpec { Formats = [ReleaseFormats.Parquet] })).Id);
        var keepingFlags = await harness.BuildAsync((await harness.DefineAsync("Unlabelled", "1.1",
            new ReleaseSpec { Formats = [ReleaseFormats.Parquet], Filter = new ReleaseFilter { ExcludedFlags = [] } })).Id);

        Assert.Equal(unflagged - 1, ReleaseCounts.From(usual.Counts)!.Images);
        Assert.Empty(await OutsideReaders.DuckDbAsync($"SELECT id FROM read_parquet('{harness.PathOf(usual, "parquet/*.parquet")}') WHERE id = {unlabelled}"));
        var kept = await OutsideReaders.DuckDbAsync($"SELECT id FROM read_parquet('{harness.PathOf(keepingFlags, "parquet/*.parquet")}') WHERE id IN ({unlabelled}, {flagged})");
        Assert.Equal(flagged.ToString(), kept.Single().GetProperty("id").ToString());
    }
}

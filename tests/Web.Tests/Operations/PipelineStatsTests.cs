using AnnotateAnyone.Web.Operations;
using Npgsql;

namespace AnnotateAnyone.Web.Tests.Operations;

/// <summary>The ops dashboard's counts over the whole data set: exact on small tables, from a sample on large ones.</summary>
public sealed class PipelineStatsTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task Small_tables_are_counted_exactly_and_large_ones_estimated_from_a_sample()
    {
        await using (var add = app.Database.DataSource.CreateCommand("""
            INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
            SELECT decode(md5(g::text) || md5('pipeline' || g::text), 'hex'), 1, 'test', 'k', CASE WHEN g % 4 = 0 THEN 3 ELSE 0 END, 0, 0, false, now(), now()
            FROM generate_series(1, 200000) g;
            ANALYZE images;
            """))
            await add.ExecuteNonQueryAsync();

        var exact = await new PipelineStats(app.Database.DataSource, TimeProvider.System).GetAsync(default);
        var sampled = await new PipelineStats(app.Database.DataSource, TimeProvider.System, exactBelow: 100_000).GetAsync(default);

        Assert.False(exact.Estimated);
        Assert.Equal((150_000L, 50_000L), (exact.ImagesByStatus["Ingested"], exact.ImagesByStatus["Verified"]));
        Assert.True(sampled.Estimated);
        Assert.InRange(sampled.ImagesByStatus["Ingested"], 135_000, 165_000);
        Assert.InRange(sampled.ImagesByStatus["Verified"], 45_000, 55_000);
    }

    [Fact]
    public async Task The_round_shown_is_the_one_under_way_or_else_the_last_finished()
    {
        async Task<LatestRound?> RoundAsync() => (await new PipelineStats(app.Database.DataSource, TimeProvider.System).GetAsync(default)).Round;
        async Task AddRoundAsync(int number, short status) => await app.Database.ExecuteAsync("""
            INSERT INTO annotation_rounds (number, name, status, taxonomy_version_id)
            VALUES (@number, 'Round ' || @number, @status, (SELECT id FROM taxonomy_versions WHERE is_active))
            """, ("number", number), ("status", status));

        var none = await RoundAsync();
        await AddRoundAsync(901, 2);
        await AddRoundAsync(902, 4);
        var underWay = await RoundAsync();
        await app.Database.ExecuteAsync("UPDATE annotation_rounds SET status = 4 WHERE number = 901");
        var finished = await RoundAsync();

        Assert.Null(none);
        Assert.Equal((901, false), (underWay!.Number, underWay.IsCompleted));
        Assert.Equal((902, true), (finished!.Number, finished.IsCompleted));
    }

    [Fact]
    public async Task Open_reviews_count_the_queue_and_not_the_gold_checks_made_for_one_annotator()
    {
        var before = (await new PipelineStats(app.Database.DataSource, TimeProvider.System).GetAsync(default)).OpenReviews;
        await app.Database.ExecuteAsync("""
            WITH image AS (
                INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
                VALUES (decode(md5('open reviews') || md5('gold'), 'hex'), 1, 'test', 'k', 2, 0, 0, true, now(), now()) RETURNING id)
            INSERT INTO review_tasks (image_id, kind, priority, status, created_at)
            SELECT id, kind, 0, 0, now() FROM image, (VALUES (0::smallint), (3::smallint)) k(kind)
            """);

        var after = (await new PipelineStats(app.Database.DataSource, TimeProvider.System).GetAsync(default)).OpenReviews;

        Assert.Equal(before + 1, after);
    }
}

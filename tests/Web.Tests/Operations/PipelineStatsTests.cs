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

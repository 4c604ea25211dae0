using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class AnnotatorStatsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Agreement_counts_each_double_reviewed_image_as_a_unit_of_its_attribute()
    {
        var index = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        var shot = index.Find("shot.shot_type")!;
        // Two reviews of each of three images: the second image's reviewers disagree.
        await using var insert = database.DataSource.CreateCommand("""
            WITH v AS (SELECT min(id) AS first, max(id) AS last FROM attribute_values WHERE attribute_id = @shot),
            images AS (
                INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
                SELECT decode(md5(g::text || clock_timestamp()::text) || md5(random()::text), 'hex'), 1, 'test', 'k', 3, 0, 0, false, now(), now()
                FROM generate_series(1, 3) g
                RETURNING id),
            tasks AS (
                INSERT INTO review_tasks (image_id, kind, priority, status, created_at)
                SELECT id, kind, 0, 1, now() FROM images CROSS JOIN (VALUES (0), (1)) k(kind)
                RETURNING id, image_id, kind)
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms, review_task_id)
            SELECT t.image_id, @shot, ARRAY[CASE WHEN t.kind = 1 AND t.image_id = (SELECT min(id) + 1 FROM images) THEN v.last ELSE v.first END],
                   2, gen_random_uuid(), now(), 1000, t.id
            FROM tasks t CROSS JOIN v
            """);
        insert.Parameters.AddWithValue("shot", shot.Id);
        await insert.ExecuteNonQueryAsync();

        var agreement = Assert.Single(await new AnnotatorStats(database.DataSource, database.Taxonomy()).AgreementAsync(CancellationToken.None));

        Assert.Equal(("shot.shot_type", 3), (agreement.Attribute, agreement.Units));
        Assert.Equal(2.0 / 3, agreement.PercentAgreement, 6);
    }
}

using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

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

    [Fact]
    public async Task Per_annotator_statistics_count_the_items_time_corrections_and_gold_answers_of_completed_work()
    {
        var annotator = await AddUserAsync("stats@example.org");
        var hair = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var otherHair = (await ReviewFixture.SingleChoiceAsync(database, "hair.color", 1)).Values;
        var top = await ReviewFixture.SingleChoiceAsync(database, "top.color", 0);
        var otherTop = (await ReviewFixture.SingleChoiceAsync(database, "top.color", 1)).Values;
        var book = ReviewFixture.Book(database);

        // A review of an image the AI proposed both colours for: hair changed, top confirmed.
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        await ProposeAsync(image, (hair.AttributeId, hair.Values), (top.AttributeId, top.Values));
        var review = (await ReviewFixture.Queue(database).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        await book.DecideAsync(review, annotator, hair.AttributeId, otherHair, null, 1500, CancellationToken.None);
        await book.CompleteAsync(review, annotator, new Dictionary<int, int[]> { [top.AttributeId] = top.Values }, ImageFlags.None, 500, CancellationToken.None);

        // A gold item with both colours known: hair answered right, top wrong.
        await AddGoldImageAsync((hair.AttributeId, hair.Values), (top.AttributeId, top.Values));
        var gold = (await ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        Assert.Equal(ReviewKind.Gold, gold.Kind);
        await book.DecideAsync(gold, annotator, hair.AttributeId, hair.Values, null, 1000, CancellationToken.None);
        await book.CompleteAsync(gold, annotator, new Dictionary<int, int[]> { [top.AttributeId] = otherTop }, ImageFlags.None, 500, CancellationToken.None);

        var stats = Assert.Single(await new AnnotatorStats(database.DataSource, database.Taxonomy()).PerAnnotatorAsync(CancellationToken.None));

        Assert.Equal(("stats@example.org", 2, 4), (stats.Email, stats.Items, stats.Decisions));
        Assert.Equal(3500 / 3_600_000.0, stats.ActiveHours, 9);
        Assert.Equal((0.5, 2, 0.5), (stats.CorrectionRate, stats.GoldAnswers, stats.GoldAccuracy));
    }

    private async Task<Guid> AddUserAsync(string email)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private async Task ProposeAsync(long image, params (int Attribute, int[] Values)[] proposals)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var taxonomy = await database.Taxonomy().GetActiveAsync();
        var model = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Status = ModelStatus.Candidate, TaxonomyVersionId = taxonomy.Id,
            Number = (await db.ModelVersions.MaxAsync(m => (int?)m.Number) ?? 0) + 1 };
        db.ModelVersions.Add(model);
        await db.SaveChangesAsync();
        foreach (var (attribute, values) in proposals)
            db.LabelProposals.Add(new LabelProposal { ImageId = image, AttributeId = attribute, ValueIds = values, Confidence = 0.5f, ModelVersionId = model.Id });
        await db.SaveChangesAsync();
    }

    private async Task AddGoldImageAsync(params (int Attribute, int[] Values)[] answers)
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        await using var db = await database.Contexts.CreateDbContextAsync();
        await db.ReviewTasks.Where(t => t.ImageId == image).ExecuteDeleteAsync();
        await db.Images.Where(i => i.Id == image).ExecuteUpdateAsync(i => i.SetProperty(x => x.IsGold, true));
        foreach (var (attribute, values) in answers) db.GoldAnswers.Add(new GoldAnswer { ImageId = image, AttributeId = attribute, ValueIds = values });
        await db.SaveChangesAsync();
    }
}

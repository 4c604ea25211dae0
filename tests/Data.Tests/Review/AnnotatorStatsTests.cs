using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class AnnotatorStatsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Agreement_counts_each_double_reviewed_image_as_a_unit_and_follows_a_later_review()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var shot = await ReviewFixture.SingleChoiceAsync(database, "shot.shot_type", 0);
        var otherShot = (await ReviewFixture.SingleChoiceAsync(database, "shot.shot_type", 1)).Values;
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 3);
        // Every image is reviewed by two annotators; they disagree on the second image only.
        for (var i = 0; i < images.Length; i++) await ReviewAsync(first, ReviewKind.Review, _ => shot.Values);
        for (var i = 0; i < images.Length; i++) await ReviewAsync(second, ReviewKind.DoubleReview, image => image == images[1] ? otherShot : shot.Values);

        var agreement = Assert.Single(await Stats().AgreementAsync(CancellationToken.None));
        Assert.Equal(("shot.shot_type", 3L), (agreement.Attribute, agreement.Units));
        Assert.Equal(2.0 / 3, agreement.PercentAgreement, 6);

        // A third review of the second image sides with the second annotator: still three units, the second now
        // with answers a, b, b (one agreeing pair of three).
        await using (var reopen = database.DataSource.CreateCommand("INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, 0, -1, 0, now())"))
        {
            reopen.Parameters.AddWithValue("image", images[1]);
            await reopen.ExecuteNonQueryAsync();
        }
        await ReviewAsync(first, ReviewKind.Review, _ => otherShot);

        agreement = Assert.Single(await Stats().AgreementAsync(CancellationToken.None));
        Assert.Equal(3L, agreement.Units);
        Assert.Equal(3.0 / 5, agreement.PercentAgreement, 6);

        async Task ReviewAsync(Guid user, ReviewKind kind, Func<long, int[]> answer)
        {
            var lease = (await ReviewFixture.Queue(database, options).ClaimNextAsync(user, [kind], CancellationToken.None))!;
            var book = ReviewFixture.Book(database, options);
            var current = kind == ReviewKind.Review ? (await CurrentRevisionAsync(lease.ImageId, shot.AttributeId)) : null;
            await book.DecideAsync(lease, user, shot.AttributeId, answer(lease.ImageId), current, 1000, CancellationToken.None);
            await book.CompleteAsync(lease, user, new Dictionary<int, int[]>(), ImageFlags.None, 100, CancellationToken.None);
        }
    }

    private AnnotatorStats Stats() => new(database.DataSource, database.Taxonomy());

    private async Task<int?> CurrentRevisionAsync(long image, int attribute)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Labels.Where(l => l.ImageId == image && l.AttributeId == attribute).Select(l => (int?)l.Revision).SingleOrDefaultAsync();
    }

    [Fact]
    public async Task Per_annotator_statistics_count_the_items_time_corrections_and_gold_answers_of_completed_work()
    {
        var annotator = await database.AddUserAsync("stats@example.org");
        var hair = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var otherHair = (await ReviewFixture.SingleChoiceAsync(database, "hair.color", 1)).Values;
        var top = await ReviewFixture.SingleChoiceAsync(database, "top.color", 0);
        var otherTop = (await ReviewFixture.SingleChoiceAsync(database, "top.color", 1)).Values;
        var book = ReviewFixture.Book(database);

        // A review of an image the AI proposed both colours for: hair changed, top confirmed.
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        await ReviewFixture.ProposeAsync(database, image, (hair.AttributeId, hair.Values), (top.AttributeId, top.Values));
        var review = (await ReviewFixture.Queue(database).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        await book.DecideAsync(review, annotator, hair.AttributeId, otherHair, null, 1500, CancellationToken.None);
        await book.CompleteAsync(review, annotator, new Dictionary<int, int[]> { [top.AttributeId] = top.Values }, ImageFlags.None, 500, CancellationToken.None);

        // A gold item with both colours known: hair answered right, top wrong.
        await ReviewFixture.AddGoldImageAsync(database, (hair.AttributeId, hair.Values), (top.AttributeId, top.Values));
        var gold = (await ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        Assert.Equal(ReviewKind.Gold, gold.Kind);
        await book.DecideAsync(gold, annotator, hair.AttributeId, hair.Values, null, 1000, CancellationToken.None);
        await book.CompleteAsync(gold, annotator, new Dictionary<int, int[]> { [top.AttributeId] = otherTop }, ImageFlags.None, 500, CancellationToken.None);

        var stats = Assert.Single(await Stats().PerAnnotatorAsync(CancellationToken.None), s => s.Email == "stats@example.org");

        Assert.Equal(("stats@example.org", 2, 4), (stats.Email, stats.Items, stats.Decisions));
        Assert.Equal(3500 / 3_600_000.0, stats.ActiveHours, 9);
        Assert.Equal((0.5, 2, 0.5), (stats.CorrectionRate, stats.GoldAnswers, stats.GoldAccuracy));
    }

    [Fact]
    public async Task An_annotator_without_recorded_time_proposals_or_gold_answers_has_no_pace_or_rates_rather_than_zero()
    {
        // Reviews sent through the HTTP API without a time spent, of images the AI had proposed nothing for.
        var annotator = await database.AddUserAsync("untimed@example.org");
        var hair = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        await ReviewFixture.AddQueuedImagesAsync(database, 1);
        var review = (await ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 0 }).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        await ReviewFixture.Book(database).CompleteAsync(review, annotator, new Dictionary<int, int[]> { [hair.AttributeId] = hair.Values }, ImageFlags.None, 0,
            CancellationToken.None);

        var stats = Assert.Single(await Stats().PerAnnotatorAsync(CancellationToken.None), s => s.Email == "untimed@example.org");

        Assert.Equal((1, 0.0), (stats.Items, stats.ActiveHours));
        Assert.Equal((null, null, null), (stats.ItemsPerHour, stats.CorrectionRate, stats.GoldAccuracy));
    }
}

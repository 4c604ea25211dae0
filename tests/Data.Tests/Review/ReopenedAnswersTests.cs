using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>
/// An item taken back (<see cref="ReviewQueue.ReopenLastAsync"/>) and completed again is still one review: its changed
/// answers replace the first ones wherever reviews are compared or counted. A second review or a gold check comes back
/// as what it was. Every first review is sampled for a second.
/// </summary>
public sealed class ReopenedAnswersTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_answer_changed_on_an_item_taken_back_replaces_the_first_in_agreement_adjudication_and_pace()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var (queue, book) = (ReviewFixture.Queue(database, EverySecondReviewed), ReviewFixture.Book(database, EverySecondReviewed));
        var (material, proposed) = await ReviewFixture.SingleChoiceAsync(database, "top.material", 0);
        var (_, changed) = await ReviewFixture.SingleChoiceAsync(database, "top.material", 1);
        await ReviewFixture.ProposeAsync(database, image, (material, proposed));
        var (me, other) = (await database.AddUserAsync("reopens@example.org"), Guid.NewGuid());
        var first = (await queue.ClaimNextAsync(me, [ReviewKind.Review], CancellationToken.None))!;
        await book.CompleteAsync(first, me, new Dictionary<int, int[]> { [material] = proposed }, ImageFlags.None, 1000, CancellationToken.None);

        // An Enter pressed too soon: the annotator takes the item back and changes the proposal they accepted.
        await ReopenAndAnswerAsync(me, material, changed);
        await ReviewAsync(other, ReviewKind.DoubleReview, material, changed);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.False(await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication));
        var agreement = Assert.Single(await Stats().AgreementAsync(CancellationToken.None), a => a.Attribute == "top.material");
        Assert.Equal((1L, 1.0), (agreement.Units, agreement.PercentAgreement));
        var mine = Assert.Single(await Stats().PerAnnotatorAsync(CancellationToken.None), s => s.User == me);
        Assert.Equal((1, 1.0), (mine.Items, mine.CorrectionRate));
        Assert.Equal(1500 / 3_600_000.0, mine.ActiveHours, 9);
    }

    [Fact]
    public async Task An_answer_changed_on_an_item_taken_back_after_its_second_review_goes_to_adjudication_when_they_now_disagree()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var (sleeves, agreed) = await ReviewFixture.SingleChoiceAsync(database, "top.sleeve_length", 0);
        var (_, changed) = await ReviewFixture.SingleChoiceAsync(database, "top.sleeve_length", 1);
        var (me, other) = (await database.AddUserAsync("changes-later@example.org"), await database.AddUserAsync("second@example.org"));
        await ReviewAsync(me, ReviewKind.Review, sleeves, agreed);
        await ReviewAsync(other, ReviewKind.DoubleReview, sleeves, agreed);

        await ReopenAndAnswerAsync(me, sleeves, changed);

        var adjudication = await ReviewFixture.Queue(database, EverySecondReviewed).ClaimNextAsync(Guid.NewGuid(), [ReviewKind.Adjudication], CancellationToken.None);
        Assert.Equal(image, adjudication?.ImageId);
        var reviewers = (await ReviewFixture.Items(database).LoadAsync(adjudication!, CancellationToken.None)).OtherAnnotators[sleeves];
        Assert.Equal([(me, changed), (other, agreed)], reviewers.Select(r => (r.User, r.ValueIds)).OrderBy(r => r.User == other));
        var agreement = Assert.Single(await Stats().AgreementAsync(CancellationToken.None), a => a.Attribute == "top.sleeve_length");
        Assert.Equal((1L, 0.0), (agreement.Units, agreement.PercentAgreement));
    }

    [Fact]
    public async Task A_second_review_taken_back_shows_its_own_answer_and_agreeing_now_withdraws_the_adjudication_it_queued()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var (colour, first) = await ReviewFixture.SingleChoiceAsync(database, "coat.color", 0);
        var (_, second) = await ReviewFixture.SingleChoiceAsync(database, "coat.color", 1);
        var (me, other) = (Guid.NewGuid(), Guid.NewGuid());
        await ReviewAsync(me, ReviewKind.Review, colour, first);
        await ReviewAsync(other, ReviewKind.DoubleReview, colour, second);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var queued = await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open);

        var reopened = await ReopenAndAnswerAsync(other, colour, first);

        Assert.True(queued);
        Assert.Equal((image, ReviewKind.DoubleReview), (reopened.Lease.ImageId, reopened.Lease.Kind));
        Assert.Equal(second, reopened.Labels[colour].ValueIds);
        Assert.False(await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open));
        var agreement = Assert.Single(await Stats().AgreementAsync(CancellationToken.None), a => a.Attribute == "coat.color");
        Assert.Equal((1L, 1.0), (agreement.Units, agreement.PercentAgreement));
    }

    [Fact]
    public async Task A_gold_check_taken_back_shows_its_own_answer_and_scores_the_changed_one_once()
    {
        var (pattern, known) = await ReviewFixture.SingleChoiceAsync(database, "coat.pattern", 0);
        var (_, wrong) = await ReviewFixture.SingleChoiceAsync(database, "coat.pattern", 1);
        await ReviewFixture.AddGoldImageAsync(database, (pattern, known));
        var me = await database.AddUserAsync("gold-again@example.org");
        var gold = (await ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }).ClaimNextAsync(me, [ReviewKind.Review], CancellationToken.None))!;
        await AnswerAsync(gold, me, pattern, wrong, 0);

        var reopened = await ReopenAndAnswerAsync(me, pattern, known);

        Assert.Equal((ReviewKind.Gold, gold.ImageId), (reopened.Lease.Kind, reopened.Lease.ImageId));
        Assert.Equal(wrong, reopened.Labels[pattern].ValueIds);
        var mine = Assert.Single(await Stats().PerAnnotatorAsync(CancellationToken.None), s => s.User == me);
        Assert.Equal((1, 1, 1.0), (mine.Items, mine.GoldAnswers, mine.GoldAccuracy));
    }

    [Fact]
    public async Task An_item_taken_back_changed_and_then_skipped_or_left_to_lapse_is_completed_as_it_stands()
    {
        var (skippedImage, skipped, skipper) = await TakeBackAfterAgreedSecondReviewAndChangeAsync("bottom.pattern");
        await Book().SkipAsync(skipped, skipper, 300, CancellationToken.None);
        var (lapsedImage, lapsed, _) = await TakeBackAfterAgreedSecondReviewAndChangeAsync("shoes.color");
        await database.ExecuteAsync("UPDATE review_tasks SET lease_expires_at = now() - interval '1 second' WHERE id = @task", ("task", lapsed.TaskId));

        var settled = await Book().SettleLapsedAsync(CancellationToken.None);

        Assert.Equal((1, 0), settled);
        await using var db = await database.Contexts.CreateDbContextAsync();
        foreach (var (image, task) in new[] { (skippedImage, skipped.TaskId), (lapsedImage, lapsed.TaskId) })
        {
            Assert.Equal(ReviewTaskStatus.Done, (await db.ReviewTasks.SingleAsync(t => t.Id == task)).Status);
            Assert.True(await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open));
        }
        var agreement = (await Stats().AgreementAsync(CancellationToken.None)).Where(a => a.Attribute is "bottom.pattern" or "shoes.color").ToList();
        Assert.Equal(2, agreement.Count);
        Assert.All(agreement, a => Assert.Equal((1L, 0.0), (a.Units, a.PercentAgreement)));
        // The skip's time counts in the annotator's pace, the item once.
        var pace = Assert.Single(await Stats().PerAnnotatorAsync(CancellationToken.None), s => s.User == skipper);
        Assert.Equal((1, 700.0), (pace.Items, Math.Round(pace.ActiveHours * 3_600_000)));
    }

    private static readonly ReviewOptions EverySecondReviewed = new() { DoubleReviewShare = 1, GoldShare = 0 };

    private async Task ReviewAsync(Guid user, ReviewKind kind, int attribute, int[] answer) =>
        await AnswerAsync((await ReviewFixture.Queue(database, EverySecondReviewed).ClaimNextAsync(user, [kind], CancellationToken.None))!, user, attribute, answer, 0);

    /// <summary>Takes back the item completed last and changes one answer, with 400 ms on the answer and 100 on the rest.</summary>
    /// <returns>The item as it came back, before the change.</returns>
    private async Task<ReviewItem> ReopenAndAnswerAsync(Guid user, int attribute, int[] answer) =>
        await AnswerAsync((await ReviewFixture.Queue(database, EverySecondReviewed).ReopenLastAsync(user, CancellationToken.None))!, user, attribute, answer, 400);

    /// <summary>
    /// A first review and a second that agree on the attribute <paramref name="key"/> of a new image, then its first
    /// annotator takes it back and changes that answer (400 ms) without completing it.
    /// </summary>
    private async Task<(long Image, Lease TakenBack, Guid User)> TakeBackAfterAgreedSecondReviewAndChangeAsync(string key)
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var (attribute, agreed) = await ReviewFixture.SingleChoiceAsync(database, key, 0);
        var (_, changed) = await ReviewFixture.SingleChoiceAsync(database, key, 1);
        var (me, other) = (await database.AddUserAsync($"{key}@example.org"), Guid.NewGuid());
        await ReviewAsync(me, ReviewKind.Review, attribute, agreed);
        await ReviewAsync(other, ReviewKind.DoubleReview, attribute, agreed);
        var takenBack = (await ReviewFixture.Queue(database, EverySecondReviewed).ReopenLastAsync(me, CancellationToken.None))!;
        await ChangeAsync(takenBack, me, attribute, changed, 400);
        return (image, takenBack, me);
    }

    /// <returns>The item as it was shown, before the answer.</returns>
    private async Task<ReviewItem> AnswerAsync(Lease lease, Guid user, int attribute, int[] answer, int timeSpentMs)
    {
        var item = await ChangeAsync(lease, user, attribute, answer, timeSpentMs);
        await Book().CompleteAsync(lease, user, new Dictionary<int, int[]>(), ImageFlags.None, timeSpentMs / 4, CancellationToken.None);
        return item;
    }

    /// <returns>The item as it was shown, before the answer.</returns>
    private async Task<ReviewItem> ChangeAsync(Lease lease, Guid user, int attribute, int[] answer, int timeSpentMs)
    {
        var item = await ReviewFixture.Items(database).LoadAsync(lease, CancellationToken.None);
        await Book().DecideAsync(lease, user, attribute, answer, item.Labels.GetValueOrDefault(attribute)?.Revision, timeSpentMs, CancellationToken.None);
        return item;
    }

    private LabelBook Book() => ReviewFixture.Book(database, EverySecondReviewed);

    private AnnotatorStats Stats() => new(database.DataSource, database.Taxonomy());
}

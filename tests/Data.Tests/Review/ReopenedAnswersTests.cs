using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>
/// An item taken back (<see cref="ReviewQueue.ReopenLastAsync"/>) and completed again is still one review: its changed
/// answers replace the first ones wherever reviews are compared or counted. Every first review is sampled for a second.
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

    private static readonly ReviewOptions EverySecondReviewed = new() { DoubleReviewShare = 1, GoldShare = 0 };

    private async Task ReviewAsync(Guid user, ReviewKind kind, int attribute, int[] answer) =>
        await AnswerAsync((await ReviewFixture.Queue(database, EverySecondReviewed).ClaimNextAsync(user, [kind], CancellationToken.None))!, user, attribute, answer, 0);

    /// <summary>Takes back the item completed last and changes one answer, with 400 ms on the answer and 100 on the rest.</summary>
    private async Task ReopenAndAnswerAsync(Guid user, int attribute, int[] answer) =>
        await AnswerAsync((await ReviewFixture.Queue(database, EverySecondReviewed).ReopenLastAsync(user, CancellationToken.None))!, user, attribute, answer, 400);

    private async Task AnswerAsync(Lease lease, Guid user, int attribute, int[] answer, int timeSpentMs)
    {
        var book = ReviewFixture.Book(database, EverySecondReviewed);
        var current = (await ReviewFixture.Items(database).LoadAsync(lease, CancellationToken.None)).Labels.GetValueOrDefault(attribute)?.Revision;
        await book.DecideAsync(lease, user, attribute, answer, current, timeSpentMs, CancellationToken.None);
        await book.CompleteAsync(lease, user, new Dictionary<int, int[]>(), ImageFlags.None, timeSpentMs / 4, CancellationToken.None);
    }

    private AnnotatorStats Stats() => new(database.DataSource, database.Taxonomy());
}

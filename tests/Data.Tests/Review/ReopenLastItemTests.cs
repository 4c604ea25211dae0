using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>An Enter pressed too soon: the item an annotator completed last comes back to them. A queue of its own per test.</summary>
public sealed class ReopenLastItemTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly ReviewKind[] Reviews = [ReviewKind.Review];

    [Fact]
    public async Task The_item_completed_last_comes_back_with_its_answers_and_the_item_left_for_it_is_served_next()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 2, i => i);
        var (queue, book) = (ReviewFixture.Queue(database), ReviewFixture.Book(database));
        var (hair, black) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var (_, brown) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 1);
        var me = Guid.NewGuid();
        var first = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;
        var firstAnswer = await book.DecideAsync(first, me, hair, black, null, 0, CancellationToken.None);
        await book.CompleteAsync(first, me, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
        var left = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;

        var reopened = (await queue.ReopenLastAsync(me, CancellationToken.None))!;
        var item = await ReviewFixture.Items(database).LoadAsync(reopened, CancellationToken.None);
        await book.DecideAsync(reopened, me, hair, brown, item.Labels[hair].Revision, 0, CancellationToken.None);
        await book.CompleteAsync(reopened, me, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
        var next = await queue.ClaimNextAsync(me, Reviews, CancellationToken.None);

        Assert.Equal((images[0], images[1]), (first.ImageId, left.ImageId));
        Assert.Equal((images[0], ReviewKind.Review), (reopened.ImageId, reopened.Kind));
        Assert.NotEqual(first.TaskId, reopened.TaskId);
        Assert.Equal(black, item.Labels[hair].ValueIds);
        Assert.Equal(firstAnswer.Revision, item.Labels[hair].Revision);
        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(brown, (await db.Labels.SingleAsync(l => l.ImageId == images[0] && l.AttributeId == hair)).ValueIds);
        Assert.Equal(left.TaskId, next?.TaskId);
    }

    [Fact]
    public async Task An_item_taken_back_and_skipped_or_left_to_lapse_keeps_its_answers_and_goes_to_nobody_else()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 2, i => i);
        // Every first review is sampled for a second one, so that taking one back could queue another.
        var options = new ReviewOptions { DoubleReviewShare = 1, GoldShare = 0 };
        var (queue, book) = (ReviewFixture.Queue(database, options), ReviewFixture.Book(database, options));
        var (hair, black) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var (me, other) = (Guid.NewGuid(), Guid.NewGuid());
        foreach (var _ in images)
        {
            var item = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;
            await book.DecideAsync(item, me, hair, black, null, 0, CancellationToken.None);
            await book.CompleteAsync(item, me, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
        }

        var skipped = (await queue.ReopenLastAsync(me, CancellationToken.None))!;
        await book.SkipAsync(skipped, me, 0, CancellationToken.None);
        await database.ExecuteAsync("UPDATE review_tasks SET completed_at = now() - interval '1 minute' WHERE id = (SELECT reopens FROM review_tasks WHERE id = @task)", ("task", skipped.TaskId));
        var lapsed = (await queue.ReopenLastAsync(me, CancellationToken.None))!;
        await database.ExecuteAsync("UPDATE review_tasks SET lease_expires_at = now() - interval '1 second' WHERE id = @task", ("task", lapsed.TaskId));
        var settled = await book.SettleLapsedAsync(CancellationToken.None);
        var othersClaim = await queue.ClaimNextAsync(other, [ReviewKind.Review, ReviewKind.DoubleReview], CancellationToken.None);

        Assert.Equal((images[1], images[0]), (skipped.ImageId, lapsed.ImageId));
        Assert.Equal((0, 1), settled);
        Assert.Equal(ReviewKind.DoubleReview, othersClaim?.Kind);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var reopened = await db.ReviewTasks.Where(t => t.Id == skipped.TaskId || t.Id == lapsed.TaskId).ToListAsync();
        Assert.All(reopened, t => Assert.Equal((ReviewTaskStatus.Cancelled, me), (t.Status, t.LeasedBy)));
        Assert.Equal(2, await db.ReviewTasks.CountAsync(t => images.Contains(t.ImageId) && t.Kind == ReviewKind.DoubleReview));
        Assert.All(await db.Labels.Where(l => images.Contains(l.ImageId)).ToListAsync(), l => Assert.Equal(black, l.ValueIds));
    }

    [Fact]
    public async Task An_item_taken_back_and_completed_again_queues_no_second_review_beside_the_first()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 1);
        var options = new ReviewOptions { DoubleReviewShare = 1, GoldShare = 0 };
        var (queue, book) = (ReviewFixture.Queue(database, options), ReviewFixture.Book(database, options));
        var me = Guid.NewGuid();
        var first = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;
        await book.CompleteAsync(first, me, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
        await database.ExecuteAsync("UPDATE review_tasks SET status = 1 WHERE kind = 1 AND image_id = @image", ("image", first.ImageId));

        var reopened = (await queue.ReopenLastAsync(me, CancellationToken.None))!;
        await book.CompleteAsync(reopened, me, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(1, await db.ReviewTasks.CountAsync(t => t.ImageId == first.ImageId && t.Kind == ReviewKind.DoubleReview));
    }

    [Fact]
    public async Task A_flagged_item_one_completed_over_ten_minutes_ago_or_someone_elses_is_not_reopened()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 2);
        var (queue, book) = (ReviewFixture.Queue(database), ReviewFixture.Book(database));
        var (flagger, slow, watcher) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var flagged = (await queue.ClaimNextAsync(flagger, Reviews, CancellationToken.None))!;
        await book.CompleteAsync(flagged, flagger, new Dictionary<int, int[]>(), ImageFlags.NotAPerson, 0, CancellationToken.None);
        var old = (await queue.ClaimNextAsync(slow, Reviews, CancellationToken.None))!;
        await book.CompleteAsync(old, slow, new Dictionary<int, int[]>(), ImageFlags.None, 0, CancellationToken.None);
        await database.ExecuteAsync("UPDATE review_tasks SET completed_at = now() - interval '11 minutes' WHERE id = @task", ("task", old.TaskId));

        Assert.Null(await queue.ReopenLastAsync(flagger, CancellationToken.None));
        Assert.Null(await queue.ReopenLastAsync(slow, CancellationToken.None));
        Assert.Null(await queue.ReopenLastAsync(watcher, CancellationToken.None));
    }
}

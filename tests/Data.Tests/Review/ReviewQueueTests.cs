using System.Collections.Concurrent;
using AnnotateAnyone.Data.Review;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class ReviewQueueTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly ReviewKind[] Reviews = [ReviewKind.Review];

    [Fact]
    public async Task Twenty_concurrent_annotators_over_500_items_get_every_item_exactly_once()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 500, i => 1000 + i);
        var queue = ReviewFixture.Queue(database);
        var book = ReviewFixture.Book(database);
        var claimed = new ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var annotator = Guid.NewGuid();
            while (await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None) is { } lease)
            {
                claimed.Add(lease.ImageId);
                await book.CompleteAsync(lease, annotator, new Dictionary<int, int[]>(), Images.ImageFlags.None, 1000, CancellationToken.None);
            }
        })));

        // Other tests' items in this database may be claimed too; each item, ours or not, exactly once.
        Assert.Equal(claimed.Count, claimed.Distinct().Count());
        Assert.Equal(500, claimed.Count(images.Contains));
    }

    [Fact]
    public async Task Items_come_lowest_priority_first()
    {
        // Far below every other test's items, which share this database.
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 3, i => -1_000_000 + (2 - i));
        var queue = ReviewFixture.Queue(database);

        var first = await queue.ClaimNextAsync(Guid.NewGuid(), Reviews, CancellationToken.None);
        var second = await queue.ClaimNextAsync(Guid.NewGuid(), Reviews, CancellationToken.None);

        Assert.Equal([images[2], images[1]], new[] { first!.ImageId, second!.ImageId });
    }

    [Fact]
    public async Task An_annotator_who_comes_back_gets_the_same_item()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 2, _ => -200);
        var queue = ReviewFixture.Queue(database);
        var annotator = Guid.NewGuid();

        var first = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);
        var again = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);

        Assert.Equal(first!.TaskId, again!.TaskId);
        Assert.Equal(first.Token, again.Token);
    }

    [Fact]
    public async Task An_expired_lease_is_claimable_by_someone_else()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 1, _ => -300);
        var queue = ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 0, LeaseDuration = TimeSpan.FromSeconds(1) });
        var first = await queue.ClaimNextAsync(Guid.NewGuid(), Reviews, CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var second = await queue.ClaimNextAsync(Guid.NewGuid(), Reviews, CancellationToken.None);

        Assert.Equal(first!.TaskId, second!.TaskId);
        Assert.NotEqual(first.Token, second.Token);
    }

    [Fact]
    public async Task A_skipped_item_goes_to_someone_else()
    {
        // Ahead of every other item of this class's queue, so that it is the one a colleague would get next.
        await ReviewFixture.AddQueuedImagesAsync(database, 2, i => -2_000_000 + i);
        var queue = ReviewFixture.Queue(database);
        var (me, colleague) = (Guid.NewGuid(), Guid.NewGuid());
        var mine = await queue.ClaimNextAsync(me, Reviews, CancellationToken.None);

        await ReviewFixture.Book(database).SkipAsync(mine!, me, 0, CancellationToken.None);

        var next = await queue.ClaimNextAsync(me, Reviews, CancellationToken.None);
        var theirs = await queue.ClaimNextAsync(colleague, Reviews, CancellationToken.None);
        Assert.NotEqual(mine!.TaskId, next?.TaskId);
        Assert.Equal(mine.TaskId, theirs?.TaskId);
    }

    [Fact]
    public async Task Gold_items_are_served_unannounced_and_once_per_annotator()
    {
        var (gold, _) = (await ReviewFixture.AddQueuedImagesAsync(database, 1), 0);
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            await db.Images.Where(i => i.Id == gold[0]).ExecuteUpdateAsync(s => s.SetProperty(i => i.IsGold, true));
            await db.ReviewTasks.Where(t => t.ImageId == gold[0]).ExecuteDeleteAsync();
        }
        var queue = ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 });
        var book = ReviewFixture.Book(database);
        var annotator = Guid.NewGuid();

        var served = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);
        Assert.Equal((gold[0], ReviewKind.Gold), (served!.ImageId, served.Kind));
        await book.CompleteAsync(served, annotator, new Dictionary<int, int[]>(), Images.ImageFlags.None, 0, CancellationToken.None);

        var next = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);
        Assert.NotEqual(gold[0], next?.ImageId);
    }

    /// <summary>A new gold image, served to the annotator as a check. Other tests' gold images may come first: each is answered, as an annotator would, until this one is served.</summary>
    private async Task<(long[] Gold, Lease Check)> NewGoldCheckAsync(ReviewQueue queue, Guid annotator)
    {
        var gold = await ReviewFixture.AddQueuedImagesAsync(database, 1);
        await database.ExecuteAsync("UPDATE images SET is_gold = true WHERE id = @image; DELETE FROM review_tasks WHERE image_id = @image", ("image", gold[0]));
        Lease? check = null;
        for (var i = 0; i < 10 && check?.ImageId != gold[0]; i++)
        {
            if (check is not null) await ReviewFixture.Book(database).CompleteAsync(check, annotator, new Dictionary<int, int[]>(), Images.ImageFlags.None, 0, CancellationToken.None);
            check = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);
        }
        Assert.Equal((gold[0], ReviewKind.Gold), (check!.ImageId, check.Kind));
        return (gold, check);
    }

    [Fact]
    public async Task An_annotator_who_comes_back_during_a_gold_check_gets_the_same_check()
    {
        var annotator = Guid.NewGuid();
        var (_, check) = await NewGoldCheckAsync(ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }), annotator);

        // Most claims are not offered a gold check: coming back must not depend on that draw.
        var again = await ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 0 }).ClaimNextAsync(annotator, Reviews, CancellationToken.None);

        Assert.Equal((check.TaskId, check.Token), (again?.TaskId, again?.Token));
    }

    [Fact]
    public async Task A_gold_check_given_back_is_cancelled_and_not_served_to_that_annotator_again()
    {
        var (queue, annotator) = (ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }), Guid.NewGuid());
        var (gold, check) = await NewGoldCheckAsync(queue, annotator);

        await ReviewFixture.Book(database).SkipAsync(check, annotator, 0, CancellationToken.None);
        var next = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);

        Assert.NotEqual(gold[0], next?.ImageId);
        Assert.Equal(0L, await database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE image_id = @image AND status = 0", ("image", gold[0])));
    }

    [Fact]
    public async Task A_gold_check_left_to_lapse_is_cancelled_when_lapsed_items_are_settled_and_not_served_to_its_annotator_again()
    {
        var (queue, annotator) = (ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 }), Guid.NewGuid());
        var (gold, check) = await NewGoldCheckAsync(queue, annotator);
        await database.ExecuteAsync("UPDATE review_tasks SET lease_expires_at = now() - interval '1 second' WHERE id = @task", ("task", check.TaskId));

        var beforeSettling = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);
        await ReviewFixture.Book(database).SettleLapsedAsync(CancellationToken.None);
        var next = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);

        Assert.NotEqual(gold[0], beforeSettling?.ImageId);
        Assert.NotEqual(gold[0], next?.ImageId);
        Assert.Equal((long)ReviewTaskStatus.Cancelled, await database.ScalarAsync("SELECT status FROM review_tasks WHERE id = @task", ("task", check.TaskId)));
    }

    [Fact]
    public async Task A_gold_image_is_never_served_as_a_check_to_the_annotator_who_labelled_it()
    {
        var gold = await ReviewFixture.AddQueuedImagesAsync(database, 1);
        var annotator = Guid.NewGuid();
        await database.ExecuteAsync("""
            UPDATE images SET is_gold = true WHERE id = @image;
            DELETE FROM review_tasks WHERE image_id = @image;
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms)
            SELECT @image, a.id, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = a.id)], 2, @user, now(), 0
            FROM attributes a WHERE a.taxonomy_version_id = (SELECT id FROM taxonomy_versions WHERE is_active) ORDER BY a.id LIMIT 1
            """, ("image", gold[0]), ("user", annotator));
        var queue = ReviewFixture.Queue(database, new ReviewOptions { GoldShare = 1 });

        var served = await queue.ClaimNextAsync(annotator, Reviews, CancellationToken.None);

        Assert.NotEqual(gold[0], served?.ImageId);
    }
}

using AnnotateAnyone.Data.Review;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>A class of its own: what the queue serves once nothing else waits needs a queue of its own.</summary>
public sealed class SkippedItemTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly ReviewKind[] Reviews = [ReviewKind.Review];

    [Fact]
    public async Task A_skipped_item_comes_back_to_its_annotator_once_nothing_else_waits_for_them()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 2, i => i);
        var queue = ReviewFixture.Queue(database);
        var me = Guid.NewGuid();

        var skipped = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;
        await ReviewFixture.Book(database).SkipAsync(skipped, me, 0, CancellationToken.None);
        var other = (await queue.ClaimNextAsync(me, Reviews, CancellationToken.None))!;
        await ReviewFixture.Book(database).CompleteAsync(other, me, new Dictionary<int, int[]>(), Images.ImageFlags.None, 0, CancellationToken.None);
        var back = await queue.ClaimNextAsync(me, Reviews, CancellationToken.None);

        Assert.NotEqual(skipped.TaskId, other.TaskId);
        Assert.Equal(skipped.TaskId, back?.TaskId);
    }
}

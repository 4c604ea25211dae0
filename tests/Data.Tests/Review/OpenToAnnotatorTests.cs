using AnnotateAnyone.Data.Review;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>What the start page tells an annotator waits for them: a queue of its own, counted whole.</summary>
public sealed class OpenToAnnotatorTests : DatabasePerTest
{
    [Fact]
    public async Task An_annotator_is_told_of_the_items_they_could_claim_not_of_those_others_hold_or_second_reviews_of_their_own()
    {
        var images = await ReviewFixture.AddQueuedImagesAsync(Database, 3);
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        var queue = ReviewFixture.Queue(Database);
        // Alice reviewed an image first: its second review is not for her. Bob holds another.
        await Database.ExecuteAsync("INSERT INTO review_tasks (image_id, kind, priority, status, excluded_user, created_at) VALUES (@image, 1, 0, 0, @alice, now())",
            ("image", images[0]), ("alice", alice));
        await Database.ExecuteAsync("UPDATE review_tasks SET leased_by = @bob, lease_token = gen_random_uuid(), lease_expires_at = now() + interval '5 minutes' WHERE image_id = @image",
            ("image", images[1]), ("bob", bob));

        var forAlice = await queue.OpenToAsync(alice, 100, CancellationToken.None);
        var forBob = await queue.OpenToAsync(bob, 100, CancellationToken.None);
        var counted = await queue.OpenToAsync(bob, 2, CancellationToken.None);

        // Alice: the first reviews of images 0 and 2. Bob: those, his own lease and the second review.
        Assert.Equal((2, 4, 2), (forAlice, forBob, counted));
    }
}

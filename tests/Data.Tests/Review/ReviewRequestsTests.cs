using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class ReviewRequestsTests : DatabasePerTest
{
    private readonly Guid _lead = Guid.NewGuid();

    private ReviewRequests Requests => new(Database.DataSource, new AuditTrail(Database.Contexts));

    [Fact]
    public async Task A_verified_image_sent_back_is_served_before_routed_images_reviewed_whole_and_audited()
    {
        var routed = await ReviewFixture.AddQueuedImagesAsync(Database, 1, _ => 0.1f);
        var verified = await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified);

        var result = await Requests.SendAsync(verified, _lead, default);

        Assert.Equal(verified, result.Sent);
        var lease = (await ReviewFixture.Queue(Database).ClaimNextAsync(Guid.NewGuid(), [ReviewKind.Review], default))!;
        Assert.Equal((verified[0], null), (lease.ImageId, lease.AttributeIds));
        Assert.NotEqual(routed[0], lease.ImageId);
        // A lead's choice is no random sample: the task belongs to no round, so it is never audit evidence.
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE image_id = @image AND round_id IS NOT NULL", ("image", verified[0])));
        Assert.Equal(1, await Database.ScalarAsync(
            "SELECT count(*) FROM audit_events WHERE action = 'review.requested' AND subject_id = @image AND actor = @lead",
            ("image", verified[0].ToString()), ("lead", _lead.ToString())));
    }

    [Fact]
    public async Task An_image_waiting_already_keeps_its_task_and_is_reported_as_waiting()
    {
        var waiting = await ReviewFixture.AddQueuedImagesAsync(Database, 1, _ => 0.4f);

        var result = await Requests.SendAsync(waiting, _lead, default);

        Assert.Empty(result.Sent);
        Assert.Equal(waiting, result.AlreadyWaiting);
        Assert.Equal(1, await Database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE image_id = @image AND priority > 0.3", ("image", waiting[0])));
    }

    [Fact]
    public async Task A_missing_or_refused_image_refuses_the_whole_request_and_sends_nothing()
    {
        var images = await ImageRows.AddAsync(Database.DataSource, ImageStatus.Verified, ImageStatus.Rejected);

        var missing = await Assert.ThrowsAsync<ArgumentException>(() => Requests.SendAsync([images[0], 999_999], _lead, default));
        var rejected = await Assert.ThrowsAsync<ArgumentException>(() => Requests.SendAsync(images, _lead, default));
        var none = await Assert.ThrowsAsync<ArgumentException>(() => Requests.SendAsync([], _lead, default));

        Assert.Equal("No image has the id 999999: nothing was sent.", missing.Message);
        Assert.Equal($"Image {images[1]} was refused at ingest and cannot be reviewed: nothing was sent.", rejected.Message);
        Assert.Equal("Send 1 to 500 images to review at a time.", none.Message);
        Assert.Equal(0, await Database.ScalarAsync("SELECT count(*) FROM review_tasks"));
    }
}

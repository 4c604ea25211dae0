using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Tests.Routing;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>
/// The reviews that measure the captioner (audit images, attributes routed whole) are made without seeing its answers,
/// so that an annotator who accepts what is proposed cannot make it look better than it is.
/// </summary>
public sealed class HiddenProposalsTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private long[] _auditTask = [], _routedTask = [];
    private int[] _routedScope = [], _measured = [];

    public async Task InitializeAsync()
    {
        var (round, model, _, _) = await RoutingFixture.RoundWithProposalsAsync(database);
        await RoutingFixture.Routing(database).RouteRoundAsync(round, model, CancellationToken.None);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var audit = db.ReviewTasks.Where(t => t.RoundId == round && t.AttributeIds == null).OrderBy(t => t.Id).First();
        // An image routed partly: some attributes for low confidence (their proposals shown), some whole (measured).
        var routed = db.ReviewTasks.Where(t => t.RoundId == round && t.AttributeIds != null).AsEnumerable()
            .First(t => t.MeasuredAttributeIds!.Length > 0 && t.AttributeIds!.Length > t.MeasuredAttributeIds.Length);
        (_auditTask, _routedTask, _routedScope, _measured) = ([audit.Id, audit.ImageId], [routed.Id, routed.ImageId], routed.AttributeIds!, routed.MeasuredAttributeIds!);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Lease LeaseOf(long[] task, int[]? scope) => new(task[0], task[1], Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(5), ReviewKind.Review, scope);

    [Fact]
    public async Task An_audit_image_hides_every_proposal_and_a_routed_image_those_of_the_attributes_routed_whole()
    {
        var items = ReviewFixture.Items(database);
        var attributes = (await database.Taxonomy().GetActiveAsync()).Groups.SelectMany(g => g.Attributes).Select(a => a.Id).ToHashSet();

        var audit = await items.LoadAsync(LeaseOf(_auditTask, null), CancellationToken.None);
        var routed = await items.LoadAsync(LeaseOf(_routedTask, _routedScope), CancellationToken.None);

        Assert.Empty(audit.Proposals);
        Assert.Equal(attributes, audit.HiddenProposals.ToHashSet());
        Assert.Equal(_measured.ToHashSet(), routed.HiddenProposals.ToHashSet());
        Assert.All(_measured, attribute => Assert.DoesNotContain(attribute, routed.Proposals.Keys));
        Assert.All(_routedScope.Except(_measured), attribute => Assert.Contains(attribute, routed.Proposals.Keys));
    }

    [Fact]
    public async Task An_audit_image_taken_back_after_its_review_still_hides_every_proposal()
    {
        var annotator = Guid.NewGuid();
        await database.ExecuteAsync("""
            UPDATE review_tasks SET status = 1, completed_by = @user, completed_at = now() WHERE id = @task;
            UPDATE images SET status = 3 WHERE id = @image;
            """, ("task", _auditTask[0]), ("image", _auditTask[1]), ("user", annotator));

        var reopened = (await ReviewFixture.Queue(database).ReopenLastAsync(annotator, CancellationToken.None))!;
        var item = await ReviewFixture.Items(database).LoadAsync(reopened, CancellationToken.None);

        Assert.Equal(_auditTask[1], reopened.ImageId);
        Assert.Empty(item.Proposals);
        Assert.NotEmpty(item.HiddenProposals);
    }

    [Fact]
    public async Task With_blind_measurement_off_every_proposal_is_shown()
    {
        var items = ReviewFixture.Items(database, new ReviewOptions { BlindMeasurement = false });

        var audit = await items.LoadAsync(LeaseOf(_auditTask, null), CancellationToken.None);
        var routed = await items.LoadAsync(LeaseOf(_routedTask, _routedScope), CancellationToken.None);

        Assert.Empty(audit.HiddenProposals);
        Assert.Empty(routed.HiddenProposals);
        Assert.All(_routedScope, attribute => Assert.Contains(attribute, routed.Proposals.Keys));
        Assert.NotEmpty(audit.Proposals);
    }

    [Fact]
    public async Task An_image_sent_to_review_outside_a_round_shows_its_proposals()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var shot = await ReviewFixture.SingleChoiceAsync(database, RoutingFixture.Shot);
        await ReviewFixture.ProposeAsync(database, image, shot);
        await using var db = await database.Contexts.CreateDbContextAsync();
        var task = db.ReviewTasks.Single(t => t.ImageId == image);

        var item = await ReviewFixture.Items(database).LoadAsync(LeaseOf([task.Id, image], null), CancellationToken.None);

        Assert.Empty(item.HiddenProposals);
        Assert.Equal(shot.Values, item.Proposals[shot.AttributeId].ValueIds);
    }
}

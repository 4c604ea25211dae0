using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class LabelBookTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly ReviewKind[] Reviews = [ReviewKind.Review];

    private async Task<(Lease Lease, Guid User)> ClaimAsync(ReviewOptions? options = null)
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 1, _ => -1000 - Random.Shared.Next(1000));
        var user = Guid.NewGuid();
        return ((await ReviewFixture.Queue(database, options).ClaimNextAsync(user, Reviews, CancellationToken.None))!, user);
    }

    [Fact]
    public async Task A_decision_is_saved_at_once_with_who_how_long_and_what_it_replaced()
    {
        var (lease, user) = await ClaimAsync();
        var (attribute, first) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var (_, second) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 1);
        var book = ReviewFixture.Book(database);

        var saved = await book.DecideAsync(lease, user, attribute, first, null, 1500, CancellationToken.None);
        await book.DecideAsync(lease, user, attribute, second, saved.Revision, 700, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        var label = await db.Labels.SingleAsync(l => l.ImageId == lease.ImageId);
        Assert.Equal(second, label.ValueIds);
        Assert.Equal((2, LabelSource.Human, user), (label.Revision, label.Source, label.DecidedBy!.Value));
        var decisions = await db.LabelDecisions.Where(d => d.ImageId == lease.ImageId).OrderBy(d => d.Id).ToListAsync();
        Assert.Equal([1500, 700], decisions.Select(d => d.TimeSpentMs));
        Assert.Null(decisions[0].PreviousValueIds);
        Assert.Equal(first, decisions[1].PreviousValueIds);
    }

    [Fact]
    public async Task A_decision_against_a_lost_lease_is_refused_and_writes_nothing()
    {
        var (lease, user) = await ClaimAsync(new ReviewOptions { GoldShare = 0, LeaseDuration = TimeSpan.FromSeconds(1) });
        var (attribute, value) = await ReviewFixture.SingleChoiceAsync(database, "hair.color");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var thief = await ReviewFixture.Queue(database).ClaimNextAsync(Guid.NewGuid(), Reviews, CancellationToken.None);
        Assert.Equal(lease.TaskId, thief!.TaskId);

        var error = await Assert.ThrowsAsync<LeaseLostException>(() =>
            ReviewFixture.Book(database).DecideAsync(lease, user, attribute, value, null, 100, CancellationToken.None));

        Assert.Contains("nothing was saved", error.Message);
        Assert.Equal(0, await ReviewFixture.DecisionCountAsync(database, lease.ImageId));
        await Assert.ThrowsAsync<LeaseLostException>(() =>
            ReviewFixture.Book(database).CompleteAsync(lease, user, new Dictionary<int, int[]> { [attribute] = value }, ImageFlags.None, 100, CancellationToken.None));
        Assert.Equal(0, await ReviewFixture.DecisionCountAsync(database, lease.ImageId));
    }

    [Fact]
    public async Task A_concurrent_change_to_the_same_label_is_detected_not_overwritten()
    {
        var (lease, user) = await ClaimAsync();
        var (attribute, mine) = await ReviewFixture.SingleChoiceAsync(database, "top.color", 0);
        var (_, theirs) = await ReviewFixture.SingleChoiceAsync(database, "top.color", 3);
        var book = ReviewFixture.Book(database);
        await book.DecideAsync(lease, user, attribute, theirs, null, 10, CancellationToken.None);

        var error = await Assert.ThrowsAsync<LabelChangedException>(() => book.DecideAsync(lease, user, attribute, mine, expectedRevision: null, 10, CancellationToken.None));

        Assert.Equal(theirs, error.CurrentValues);
        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(theirs, (await db.Labels.SingleAsync(l => l.ImageId == lease.ImageId)).ValueIds);
    }

    [Theory]
    [InlineData("hair.color", new[] { 0, 1 }, "takes one value")]
    [InlineData("hair.color", new int[0], "Choose a value")]
    public async Task An_invalid_decision_is_refused_with_the_reason(string key, int[] positions, string reason)
    {
        var (lease, user) = await ClaimAsync();
        var (attribute, _) = await ReviewFixture.SingleChoiceAsync(database, key);
        var values = new List<int>();
        foreach (var position in positions) values.Add((await ReviewFixture.SingleChoiceAsync(database, key, position)).Values[0]);

        var error = await Assert.ThrowsAsync<InvalidDecisionException>(() =>
            ReviewFixture.Book(database).DecideAsync(lease, user, attribute, [.. values], null, 10, CancellationToken.None));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task Completing_verifies_the_image_and_a_flag_excludes_it()
    {
        var book = ReviewFixture.Book(database);
        var (verified, user) = await ClaimAsync();
        await book.CompleteAsync(verified, user, new Dictionary<int, int[]>(), ImageFlags.None, 10, CancellationToken.None);
        var (flagged, other) = await ClaimAsync();
        await book.CompleteAsync(flagged, other, new Dictionary<int, int[]>(), ImageFlags.NotAPerson, 10, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(ImageStatus.Verified, (await db.Images.SingleAsync(i => i.Id == verified.ImageId)).Status);
        var excluded = await db.Images.SingleAsync(i => i.Id == flagged.ImageId);
        Assert.Equal((ImageStatus.Excluded, ImageFlags.NotAPerson), (excluded.Status, excluded.Flags));
    }

    [Fact]
    public async Task A_second_review_that_disagrees_goes_to_adjudication()
    {
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var (first, alice) = await ClaimAsync(options);
        var book = ReviewFixture.Book(database, options);
        var (attribute, red) = await ReviewFixture.SingleChoiceAsync(database, "top.color", 3);
        var (_, blue) = await ReviewFixture.SingleChoiceAsync(database, "top.color", 7);
        await book.CompleteAsync(first, alice, new Dictionary<int, int[]> { [attribute] = red }, ImageFlags.None, 10, CancellationToken.None);

        var bob = Guid.NewGuid();
        var second = await ReviewFixture.Queue(database, options).ClaimNextAsync(bob, [ReviewKind.DoubleReview], CancellationToken.None);
        Assert.Equal(first.ImageId, second!.ImageId);
        Assert.Null(await ReviewFixture.Queue(database, options).ClaimNextAsync(alice, [ReviewKind.DoubleReview], CancellationToken.None) is { } mine && mine.ImageId == first.ImageId ? mine : null);
        await book.CompleteAsync(second, bob, new Dictionary<int, int[]> { [attribute] = blue }, ImageFlags.None, 10, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.True(await db.ReviewTasks.AnyAsync(t => t.ImageId == first.ImageId && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open));
        // The second opinion does not overwrite the first annotator's label; the adjudicator settles it.
        Assert.Equal(red, (await db.Labels.SingleAsync(l => l.ImageId == first.ImageId && l.AttributeId == attribute)).ValueIds);
    }

    [Fact]
    public async Task A_second_review_shows_its_own_answers_and_never_the_first_ones()
    {
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var (first, alice) = await ClaimAsync(options);
        var book = ReviewFixture.Book(database, options);
        var (hair, black) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var (_, brown) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 1);
        var (top, red) = await ReviewFixture.SingleChoiceAsync(database, "top.color", 3);
        await book.CompleteAsync(first, alice, new Dictionary<int, int[]> { [hair] = black, [top] = red }, ImageFlags.None, 10, CancellationToken.None);
        var bob = Guid.NewGuid();
        var second = (await ReviewFixture.Queue(database, options).ClaimNextAsync(bob, [ReviewKind.DoubleReview], CancellationToken.None))!;
        var items = ReviewFixture.Items(database);

        var before = await items.LoadAsync(second, CancellationToken.None);
        await book.DecideAsync(second, bob, hair, brown, null, 10, CancellationToken.None);
        var after = await items.LoadAsync(second, CancellationToken.None);

        Assert.Empty(before.Labels);
        Assert.Equal([hair], after.Labels.Keys);
        Assert.Equal(brown, after.Labels[hair].ValueIds);
        Assert.Null(after.Labels[hair].Revision);
    }

    [Fact]
    public async Task Time_reported_on_completion_with_nothing_left_to_accept_is_kept_with_the_item_and_the_annotators_pace()
    {
        var (lease, user) = await ClaimAsync();
        var (attribute, black) = await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0);
        var book = ReviewFixture.Book(database);

        await book.DecideAsync(lease, user, attribute, black, null, 1000, CancellationToken.None);
        await book.CompleteAsync(lease, user, new Dictionary<int, int[]>(), ImageFlags.None, 4000, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(1000, (await db.LabelDecisions.SingleAsync(d => d.ImageId == lease.ImageId)).TimeSpentMs);
        Assert.Equal(4000, (await db.ReviewTasks.SingleAsync(t => t.Id == lease.TaskId)).CompletionTimeMs);
        await using var tally = database.DataSource.CreateCommand("SELECT time_spent_ms FROM annotator_tallies WHERE user_id = @user");
        tally.Parameters.AddWithValue("user", user);
        Assert.Equal(5000L, Convert.ToInt64(await tally.ExecuteScalarAsync()));
    }
}

using AnnotateAnyone.Data.Tests.Routing;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>A round's human corrections are labels people set otherwise than the captioner proposed, however many answers it took.</summary>
public sealed class RoundCorrectionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_label_changed_twice_reviewed_twice_or_changed_back_to_the_proposal_counts_once_or_not_at_all()
    {
        var (round, _, images, index) = await RoutingFixture.RoundWithProposalsAsync(database);
        // The captioner proposed every image's first hair colour. Three images get people's answers:
        // the first changed to the last colour and then to the second; the second changed to the last and back to the
        // first; the third changed to the last by its reviewer and again by a second reviewer.
        var hair = index.Find("hair.color")!.Values.OrderBy(v => v.Id).Select(v => v.Id).ToArray();
        var (proposed, second, last) = (hair[0], hair[1], hair[^1]);
        var user = await database.AddUserAsync("corrections@example.org");
        await database.ExecuteAsync("""
            INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms)
            VALUES (@first, @hair, ARRAY[@last], 2, @user, now(), 1000), (@first, @hair, ARRAY[@second], 2, @user, now(), 1000),
                   (@changedBack, @hair, ARRAY[@last], 2, @user, now(), 1000), (@changedBack, @hair, ARRAY[@proposed], 2, @user, now(), 1000),
                   (@twice, @hair, ARRAY[@last], 2, @user, now(), 1000), (@twice, @hair, ARRAY[@last], 2, @user, now(), 1000);
            INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_by, decided_at, revision)
            VALUES (@first, @hair, ARRAY[@second], 2, @user, now(), 2), (@changedBack, @hair, ARRAY[@proposed], 2, @user, now(), 2),
                   (@twice, @hair, ARRAY[@last], 2, @user, now(), 2);
            """, ("first", images[0]), ("changedBack", images[1]), ("twice", images[2]), ("hair", index.Find("hair.color")!.Id), ("user", user),
            ("proposed", proposed), ("second", second), ("last", last));

        var metrics = await RoutingFixture.MeasureAsync(database, round);

        Assert.Equal((3, 2), (metrics.HumanLabels, metrics.HumanCorrections));
    }
}

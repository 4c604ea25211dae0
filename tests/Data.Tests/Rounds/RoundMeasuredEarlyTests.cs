using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Tests.Routing;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>
/// A data lead finishes a round before its review is done: the reviews left stay open, and count when done. A round
/// measured by an older release is measured again.
/// </summary>
public sealed class RoundMeasuredEarlyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private RoundService Rounds() => RoutingFixture.Rounds(database);

    private async Task<RoundMetrics> MetricsAsync(int round)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return RoundMetrics.From((await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == round)).Metrics)!;
    }

    /// <summary>Annotators answer the open reviews of <paramref name="round"/> (<paramref name="take"/> of them): each gives the shot type.</summary>
    private Task ReviewAsync(int round, int take, int shot) => database.ExecuteAsync("""
        WITH reviewed AS (SELECT id, image_id FROM review_tasks WHERE round_id = @round AND status = 0 AND kind = 0 ORDER BY id LIMIT @take),
             done AS (UPDATE review_tasks t SET status = 1 FROM reviewed r WHERE t.id = r.id RETURNING t.image_id)
        INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_at, revision)
        SELECT image_id, @shot, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = @shot)], 2, now(), 1 FROM done
        ON CONFLICT (image_id, attribute_id) DO UPDATE SET source = 2
        """, ("round", round), ("take", take), ("shot", shot));

    [Fact]
    public async Task A_round_finished_with_reviews_open_says_so_and_is_measured_again_when_the_last_is_done()
    {
        await VerifiedImageRows.AddAsync(database, VerifiedImages.Fewest);
        var (round, model, _, index) = await RoutingFixture.RoundWithProposalsAsync(database);
        await RoutingFixture.Routing(database).RouteRoundAsync(round, model, CancellationToken.None);
        await database.ExecuteAsync($"UPDATE annotation_rounds SET status = {(short)RoundStatus.Reviewing} WHERE id = @round", ("round", round));
        var open = await database.ScalarAsync("SELECT count(*) FROM review_tasks WHERE round_id = @round AND status = 0 AND kind = 0", ("round", round));
        var shot = index.Find(RoutingFixture.Shot)!.Id;
        await ReviewAsync(round, 10, shot);

        await Rounds().FinishAsync(round, null, CancellationToken.None);
        var early = await MetricsAsync(round);
        var stillOpen = await Rounds().MeasureAgainAsync(CancellationToken.None);
        await ReviewAsync(round, int.MaxValue, shot);
        var settled = await Rounds().MeasureAgainAsync(CancellationToken.None);
        var final = await MetricsAsync(round);
        var again = await Rounds().MeasureAgainAsync(CancellationToken.None);

        Assert.True(open > 10, $"routing left {open} reviews");
        Assert.Equal((int)open - 10, early.OpenReviews);
        Assert.Empty(stillOpen);
        Assert.Equal([round], settled);
        Assert.Equal(0, final.OpenReviews);
        Assert.Equal(early.HumanLabels + (int)open - 10, final.HumanLabels);
        Assert.True(final.HumanShare > early.HumanShare, $"human share {final.HumanShare} after the last review, {early.HumanShare} before");
        Assert.Empty(again);
    }

    [Fact]
    public async Task A_finished_round_measured_by_older_rules_is_measured_again_by_todays()
    {
        var (round, model, _, index) = await RoutingFixture.RoundWithProposalsAsync(database);
        await RoutingFixture.Routing(database).RouteRoundAsync(round, model, CancellationToken.None);
        await ReviewAsync(round, int.MaxValue, index.Find(RoutingFixture.Shot)!.Id);
        // Figures an older release stored: no version, and corrections counted for every differing decision.
        await database.ExecuteAsync($"UPDATE annotation_rounds SET status = {(short)RoundStatus.Completed}, metrics = @stored::jsonb WHERE id = @round",
            ("round", round), ("stored", """{"images": 400, "humanLabels": 1, "humanCorrections": 999, "openReviews": 0}"""));

        var measured = await Rounds().MeasureAgainAsync(CancellationToken.None);
        var final = await MetricsAsync(round);
        var again = await Rounds().MeasureAgainAsync(CancellationToken.None);

        Assert.Equal([round], measured);
        Assert.Equal((RoundMetrics.CurrentMeasureVersion, 0), (final.MeasureVersion, final.HumanCorrections));
        Assert.True(final.HumanLabels > 1, $"{final.HumanLabels} human labels");
        Assert.Empty(again);
    }

    [Fact]
    public async Task A_round_whose_reviews_reported_no_time_has_no_labels_per_human_hour_rather_than_none()
    {
        var (round, model, _, index) = await RoutingFixture.RoundWithProposalsAsync(database);
        await RoutingFixture.Routing(database).RouteRoundAsync(round, model, CancellationToken.None);
        await database.ExecuteAsync($"UPDATE annotation_rounds SET status = {(short)RoundStatus.Reviewing} WHERE id = @round", ("round", round));
        await ReviewAsync(round, int.MaxValue, index.Find(RoutingFixture.Shot)!.Id);

        await Rounds().FinishAsync(round, null, CancellationToken.None);
        var measured = await MetricsAsync(round);

        Assert.True(measured.HumanLabels > 0, "routing left nothing to review");
        Assert.Equal(0, measured.HumanHours);
        Assert.Null(measured.LabelsPerHumanHour);
    }
}

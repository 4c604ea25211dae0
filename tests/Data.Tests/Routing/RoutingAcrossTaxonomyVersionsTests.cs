using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Routing;

/// <summary>A data lead changes the taxonomy while a round is in review; a database of its own, since the change is global.</summary>
public sealed class RoutingAcrossTaxonomyVersionsTests : DatabasePerTest
{
    [Fact]
    public async Task Routed_again_after_a_taxonomy_change_the_captioners_proposals_and_labels_made_before_it_still_count_by_key()
    {
        var (round, model, images, old) = await RoutingFixture.RoundWithProposalsAsync(Database);
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        await using var db = await Database.Contexts.CreateDbContextAsync();
        var acceptedBefore = await db.Labels.CountAsync(l => images.Contains(l.ImageId));
        var tasksBefore = await OpenScopesAsync(db, round);

        // A lead adds a hair colour: every attribute and value gets a new id in version 2.
        var active = await Database.AddSilverHairAsync();
        // A Worker's taxonomy store notices a new active version within seconds; a fresh one at once.
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);

        // The captioner's sure answers stay accepted (no second label of an attribute it was trusted with) and the
        // images wait for the same attributes as before, in the new version's ids.
        Assert.Equal(acceptedBefore, await db.Labels.CountAsync(l => images.Contains(l.ImageId)));
        var tasksAfter = await OpenScopesAsync(db, round);
        Assert.Equal(tasksBefore.Count, tasksAfter.Count);
        foreach (var (image, scope) in tasksBefore)
            Assert.Equal(scope?.Select(id => old.KeyOf(id)).Order(), tasksAfter[image]?.Select(id => active.KeyOf(id)).Order());
    }

    [Fact]
    public async Task A_label_whose_value_was_retired_is_no_label_of_the_new_version_and_its_attribute_goes_to_people()
    {
        var (round, model, images, old) = await RoutingFixture.RoundWithProposalsAsync(Database);
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        var shot = old.Find(RoutingFixture.Shot)!;
        // The captioner proposed every attribute's first value, and was trusted with shot type on one image in ten.
        var proposed = shot.Values.Single(v => v.Id == shot.Values.Min(x => x.Id));
        await using var db = await Database.Contexts.CreateDbContextAsync();
        var trusted = await db.Labels.Where(l => images.Contains(l.ImageId) && l.AttributeId == shot.Id).Select(l => l.ImageId).ToListAsync();
        Assert.NotEmpty(trusted);

        var taxonomies = Database.Taxonomy();
        var active = new TaxonomyIndex(await taxonomies.CreateVersionAsync(
            TaxonomyEdits.RetireValue(old.Version.ToSpec(), RoutingFixture.Shot, proposed.Key), "v2", "retired a shot type", "lead"));
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);

        var scopes = await OpenScopesAsync(db, round);
        var newShot = active.Find(RoutingFixture.Shot)!.Id;
        Assert.All(trusted, image => Assert.True(scopes[image] is null || scopes[image]!.Contains(newShot), $"image {image} is not asked for its shot type"));
    }

    [Fact]
    public async Task Reviews_made_before_and_after_a_taxonomy_change_both_measure_the_captioner_by_key()
    {
        var (round, model, _, old) = await RoutingFixture.RoundWithProposalsAsync(Database);
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        // Before the change annotators answer every audit image's shot type otherwise than the captioner did.
        await Database.ExecuteAsync("""
            INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_at, revision)
            SELECT t.image_id, @attribute, ARRAY[(SELECT max(v.id) FROM attribute_values v WHERE v.attribute_id = @attribute)], 2, now(), 1
            FROM review_tasks t WHERE t.round_id = @round AND t.attribute_ids IS NULL;
            UPDATE review_tasks SET status = 1 WHERE round_id = @round AND attribute_ids IS NULL;
            """, ("round", round), ("attribute", old.Find(RoutingFixture.Shot)!.Id));
        var before = (await RoutingFixture.Routing(Database).PolicyAsync(model, CancellationToken.None)).Single(p => p.Attribute == RoutingFixture.Shot);

        var active = await Database.AddSilverHairAsync();
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        // After it they agree with the captioner's hair colour (its first value, by key) on 100 images routed to them,
        // answering in the new version's ids.
        await Database.ExecuteAsync("""
            WITH reviewed AS (SELECT id, image_id FROM review_tasks WHERE round_id = @round AND status = 0 AND attribute_ids IS NOT NULL ORDER BY id LIMIT 100),
                 labelled AS (
                     INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_at, revision)
                     SELECT r.image_id, @attribute, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = @attribute)], 2, now(), 1
                     FROM reviewed r)
            UPDATE review_tasks SET status = 1 WHERE id IN (SELECT id FROM reviewed);
            """, ("round", round), ("attribute", active.Find("hair.color")!.Id));
        var after = await RoutingFixture.Routing(Database).PolicyAsync(model, CancellationToken.None);

        Assert.True(before.Measured > 0);
        Assert.Equal((before.Measured, 0.0), (after.Single(p => p.Attribute == RoutingFixture.Shot).Measured, after.Single(p => p.Attribute == RoutingFixture.Shot).MeasuredAccuracy));
        Assert.Equal((100, 1.0), (after.Single(p => p.Attribute == "hair.color").Measured, after.Single(p => p.Attribute == "hair.color").MeasuredAccuracy));
    }

    [Fact]
    public async Task A_rounds_audit_accuracy_and_corrections_count_reviews_given_after_a_taxonomy_change()
    {
        var (round, model, _, _) = await RoutingFixture.RoundWithProposalsAsync(Database);
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        var active = await Database.AddSilverHairAsync();
        var audited = await AnswerAuditHairColoursAsync(round, active);

        var metrics = await MeasureAsync(round);

        var hair = Assert.Single(metrics.AiAccuracy);
        Assert.Equal(("hair.color", audited.Count, audited.Count(i => i % 2 == 0) / (double)audited.Count), (hair.Attribute, hair.Audited, hair.Accuracy));
        Assert.Equal(audited.Count(i => i % 2 != 0), metrics.HumanCorrections);
    }

    [Fact]
    public async Task A_captioner_trained_before_a_taxonomy_change_is_measured_on_the_proposals_it_made_after_it()
    {
        var trainedOn = (await Database.Taxonomy().GetActiveAsync()).Id;
        var active = await Database.AddSilverHairAsync();
        // Its round is pre-annotated after the change: its answers are stored in the new version's ids.
        var (round, model, _, _) = await RoutingFixture.RoundWithProposalsAsync(Database, trainedOnTaxonomyVersionId: trainedOn);
        await RoutingFixture.Routing(Database).RouteRoundAsync(round, model, CancellationToken.None);
        var audited = await AnswerAuditHairColoursAsync(round, active);

        var metrics = await MeasureAsync(round);
        var policy = (await RoutingFixture.Routing(Database).PolicyAsync(model, CancellationToken.None)).Single(p => p.Attribute == "hair.color");

        var hair = Assert.Single(metrics.AiAccuracy);
        Assert.Equal((audited.Count, audited.Count(i => i % 2 == 0) / (double)audited.Count), (hair.Audited, hair.Accuracy));
        Assert.Equal(audited.Count(i => i % 2 != 0), metrics.HumanCorrections);
        Assert.Equal((audited.Count, hair.Accuracy), (policy.Measured, policy.MeasuredAccuracy));
    }

    /// <summary>
    /// An annotator reviews every audit image's hair colour in <paramref name="active"/>: the captioner's answer (its first
    /// value, by key) on even images, another on odd ones. Returns the audit images.
    /// </summary>
    private async Task<List<long>> AnswerAuditHairColoursAsync(int round, TaxonomyIndex active)
    {
        await Database.ExecuteAsync("""
            WITH answers AS (
                     SELECT image_id, ARRAY[(SELECT CASE WHEN image_id % 2 = 0 THEN min(v.id) ELSE max(v.id) END FROM attribute_values v WHERE v.attribute_id = @attribute)] AS value_ids
                     FROM review_tasks WHERE round_id = @round AND attribute_ids IS NULL),
                 labelled AS (
                     INSERT INTO labels (image_id, attribute_id, value_ids, source, decided_by, decided_at, revision)
                     SELECT image_id, @attribute, value_ids, 2, @user, now(), 1 FROM answers),
                 decided AS (
                     INSERT INTO label_decisions (image_id, attribute_id, value_ids, source, user_id, decided_at, time_spent_ms)
                     SELECT image_id, @attribute, value_ids, 2, @user, now(), 1000 FROM answers)
            UPDATE review_tasks SET status = 1 WHERE round_id = @round AND attribute_ids IS NULL;
            """, ("round", round), ("attribute", active.Find("hair.color")!.Id), ("user", await Database.AddUserAsync("annotator@example.org")));
        await using var db = await Database.Contexts.CreateDbContextAsync();
        return await db.ReviewTasks.Where(t => t.RoundId == round && t.AttributeIds == null).Select(t => t.ImageId).ToListAsync();
    }

    private Task<RoundMetrics> MeasureAsync(int round) => RoutingFixture.MeasureAsync(Database, round);

    private static async Task<Dictionary<long, int[]?>> OpenScopesAsync(AnnotateAnyone.Data.Persistence.AnnotateDbContext db, int round) =>
        await db.ReviewTasks.AsNoTracking().Where(t => t.RoundId == round && t.Status == ReviewTaskStatus.Open).ToDictionaryAsync(t => t.ImageId, t => t.AttributeIds);
}

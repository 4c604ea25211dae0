using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Routing;

/// <summary>A data lead changes the taxonomy while a round is in review; a database of its own, since the change is global.</summary>
public sealed class RoutingAcrossTaxonomyVersionsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Routed_again_after_a_taxonomy_change_the_captioners_proposals_and_labels_made_before_it_still_count_by_key()
    {
        var (round, model, images, old) = await RoutingFixture.RoundWithProposalsAsync(_database);
        await RoutingFixture.Routing(_database).RouteRoundAsync(round, model, CancellationToken.None);
        await using var db = await _database.Contexts.CreateDbContextAsync();
        var acceptedBefore = await db.Labels.CountAsync(l => images.Contains(l.ImageId));
        var tasksBefore = await OpenScopesAsync(db, round);

        // A lead adds a hair colour: every attribute and value gets a new id in version 2.
        var taxonomies = _database.Taxonomy();
        var active = new TaxonomyIndex(await taxonomies.CreateVersionAsync(
            TaxonomyEdits.AddValue(old.Version.ToSpec(), "hair.color", "silver", "silver"), "v2", "silver hair", "lead"));
        // A Worker's taxonomy store notices a new active version within seconds; a fresh one at once.
        await RoutingFixture.Routing(_database).RouteRoundAsync(round, model, CancellationToken.None);

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
        var (round, model, images, old) = await RoutingFixture.RoundWithProposalsAsync(_database);
        await RoutingFixture.Routing(_database).RouteRoundAsync(round, model, CancellationToken.None);
        var shot = old.Find(RoutingFixture.Shot)!;
        // The captioner proposed every attribute's first value, and was trusted with shot type on one image in ten.
        var proposed = shot.Values.Single(v => v.Id == shot.Values.Min(x => x.Id));
        await using var db = await _database.Contexts.CreateDbContextAsync();
        var trusted = await db.Labels.Where(l => images.Contains(l.ImageId) && l.AttributeId == shot.Id).Select(l => l.ImageId).ToListAsync();
        Assert.NotEmpty(trusted);

        var taxonomies = _database.Taxonomy();
        var active = new TaxonomyIndex(await taxonomies.CreateVersionAsync(
            TaxonomyEdits.RetireValue(old.Version.ToSpec(), RoutingFixture.Shot, proposed.Key), "v2", "retired a shot type", "lead"));
        await RoutingFixture.Routing(_database).RouteRoundAsync(round, model, CancellationToken.None);

        var scopes = await OpenScopesAsync(db, round);
        var newShot = active.Find(RoutingFixture.Shot)!.Id;
        Assert.All(trusted, image => Assert.True(scopes[image] is null || scopes[image]!.Contains(newShot), $"image {image} is not asked for its shot type"));
    }

    private static async Task<Dictionary<long, int[]?>> OpenScopesAsync(AnnotateAnyone.Data.Persistence.AnnotateDbContext db, int round) =>
        await db.ReviewTasks.AsNoTracking().Where(t => t.RoundId == round && t.Status == ReviewTaskStatus.Open).ToDictionaryAsync(t => t.ImageId, t => t.AttributeIds);
}

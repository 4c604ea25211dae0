using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>A data lead changes the taxonomy while images routed under the old version wait for review.</summary>
public sealed class ReviewAcrossTaxonomyVersionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_item_routed_before_a_taxonomy_change_shows_its_scope_proposals_and_labels_in_the_new_version_and_takes_decisions()
    {
        // Routed under version 1: the AI's hair colour accepted, its shot type sent to a person.
        var (hair, shot) = (await ReviewFixture.SingleChoiceAsync(database, "hair.color", 0), await ReviewFixture.SingleChoiceAsync(database, "shot.shot_type", 0));
        var image = (await ReviewFixture.AddQueuedImagesAsync(database, 1)).Single();
        var length = await ReviewFixture.SingleChoiceAsync(database, "hair.length", 0);
        await ReviewFixture.ProposeAsync(database, image, (shot.AttributeId, shot.Values), (hair.AttributeId, hair.Values), (length.AttributeId, length.Values));
        await using (var route = database.DataSource.CreateCommand($"""
            UPDATE review_tasks SET attribute_ids = ARRAY[{shot.AttributeId}] WHERE image_id = {image};
            INSERT INTO labels (image_id, attribute_id, value_ids, source, confidence, revision) VALUES ({image}, {hair.AttributeId}, ARRAY[{hair.Values[0]}], 1, 0.99, 1);
            """))
            await route.ExecuteNonQueryAsync();
        var taxonomies = database.Taxonomy();
        var old = await taxonomies.GetActiveAsync();
        var current = new TaxonomyIndex(await taxonomies.CreateVersionAsync(TaxonomyEdits.AddValue(old.ToSpec(), "shot.shot_type", "wide_shot", "a wide shot"),
            old.Name, "added wide shots", "lead"));
        var (newShot, newHair, newLength) = (current.Find("shot.shot_type")!, current.Find("hair.color")!, current.Find("hair.length")!);
        // A captioner of the new version proposes the hair length again, differently: its answer is the one shown.
        var newerLength = newLength.Values.OrderBy(v => v.Position).Last().Id;
        await ReviewFixture.ProposeAsync(database, image, (newLength.Id, [newerLength]));
        var annotator = Guid.NewGuid();
        var lease = (await ReviewFixture.Queue(database).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;

        var item = await new ReviewItems(database.DataSource, taxonomies, Options.Create(new ReviewOptions())).LoadAsync(lease, CancellationToken.None);

        Assert.Equal(current.Version.Id, item.Taxonomy.Id);
        Assert.Equal([newShot.Id], item.Lease.AttributeIds!);
        // Both answers were each attribute's first value, which keeps its place in the new version.
        Assert.Equal([First(newShot)], item.Proposals[newShot.Id].ValueIds);
        Assert.Equal([newerLength], item.Proposals[newLength.Id].ValueIds);
        var carried = item.Labels[newHair.Id];
        Assert.Equal((LabelSource.AiAccepted, (int?)null), (carried.Source, carried.Revision));
        Assert.Equal([First(newHair)], carried.ValueIds);

        // The annotator corrects the carried hair colour: the new version gets its own label, the old one stays.
        var other = newHair.Values.First(v => v.Id != carried.ValueIds[0]).Id;
        await ReviewFixture.Book(database).DecideAsync(item.Lease, annotator, newHair.Id, [other], carried.Revision, 500, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal([other], (await db.Labels.SingleAsync(l => l.ImageId == image && l.AttributeId == newHair.Id)).ValueIds);
        Assert.Equal(hair.Values, (await db.Labels.SingleAsync(l => l.ImageId == image && l.AttributeId == hair.AttributeId)).ValueIds);
    }

    private static int First(AttributeDefinition attribute) => attribute.Values.OrderBy(v => v.Position).First().Id;
}

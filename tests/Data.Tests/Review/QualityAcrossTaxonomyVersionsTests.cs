using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Data.Tests.Routing;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>Quality checks (gold items, corrections, second reviews) that a data lead's change to the taxonomy falls in the middle of; a database of its own, since the change is global.</summary>
public sealed class QualityAcrossTaxonomyVersionsTests : DatabasePerTest
{
    [Fact]
    public async Task Gold_answers_and_proposals_made_before_a_taxonomy_change_score_the_annotators_answers_after_it_by_key()
    {
        var annotator = await Database.AddUserAsync("annotator@example.org");
        var old = new TaxonomyIndex(await Database.Taxonomy().GetActiveAsync());
        // Before the change: a gold item whose hair and top are each the first colour, and an image the captioner
        // proposed both for.
        var (hair, top) = (old.Find("hair.color")!, old.Find("top.color")!);
        await ReviewFixture.AddGoldImageAsync(Database, (hair.Id, [Value(hair, 0)]), (top.Id, [Value(top, 0)]));
        var image = (await ReviewFixture.AddQueuedImagesAsync(Database, 1)).Single();
        await ReviewFixture.ProposeAsync(Database, image, (hair.Id, [Value(hair, 0)]), (top.Id, [Value(top, 0)]));

        var active = await Database.AddSilverHairAsync();
        (hair, top) = (active.Find("hair.color")!, active.Find("top.color")!);
        var book = ReviewFixture.Book(Database);
        // After it, in the new version's ids: the review changes the hair and keeps the top; the gold item has the hair
        // right and the top wrong.
        var review = (await ReviewFixture.Queue(Database).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        await book.DecideAsync(review, annotator, hair.Id, [Value(hair, 1)], null, 1000, CancellationToken.None);
        await book.CompleteAsync(review, annotator, new Dictionary<int, int[]> { [top.Id] = [Value(top, 0)] }, ImageFlags.None, 500, CancellationToken.None);
        var gold = (await ReviewFixture.Queue(Database, new ReviewOptions { GoldShare = 1 }).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        Assert.Equal(ReviewKind.Gold, gold.Kind);
        await book.DecideAsync(gold, annotator, hair.Id, [Value(hair, 0)], null, 1000, CancellationToken.None);
        await book.CompleteAsync(gold, annotator, new Dictionary<int, int[]> { [top.Id] = [Value(top, 1)] }, ImageFlags.None, 500, CancellationToken.None);

        var stats = Assert.Single(await new AnnotatorStats(Database.DataSource, Database.Taxonomy()).PerAnnotatorAsync(CancellationToken.None));
        await using var db = await Database.Contexts.CreateDbContextAsync();
        var model = await db.ModelVersions.SingleAsync();
        var policy = (await RoutingFixture.Routing(Database).PolicyAsync(model.Id, CancellationToken.None)).Single(p => p.Attribute == "hair.color");

        Assert.Equal((0.5, 2, 0.5), (stats.CorrectionRate, stats.GoldAnswers, stats.GoldAccuracy));
        // Routing judges the captioner against annotators as accurate as their gold answers allow: one of two right.
        var options = new RoutingOptions();
        Assert.Equal(options.DefaultTarget * Wilson.UpperBound(1, 2, options.Confidence), policy.AgreementNeeded, 9);
    }

    [Fact]
    public async Task A_second_review_after_a_taxonomy_change_that_disagrees_with_the_first_counts_as_a_disagreement_and_goes_to_adjudication()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(Database, 1)).Single();
        await ReviewTopColourAsync("first@example.org", ReviewKind.Review, 0);

        await Database.AddSilverHairAsync();
        await ReviewTopColourAsync("second@example.org", ReviewKind.DoubleReview, 1);

        await using var db = await Database.Contexts.CreateDbContextAsync();
        Assert.True(await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open));
        var agreement = Assert.Single(await new AnnotatorStats(Database.DataSource, Database.Taxonomy()).AgreementAsync(CancellationToken.None));
        Assert.Equal(("top.color", 1L, 0.0), (agreement.Attribute, agreement.Units, agreement.PercentAgreement));
    }

    [Fact]
    public async Task A_review_after_a_taxonomy_change_replaces_the_images_agreement_unit_counted_before_it()
    {
        var image = (await ReviewFixture.AddQueuedImagesAsync(Database, 1)).Single();
        await ReviewTopColourAsync("first@example.org", ReviewKind.Review, 0);
        await ReviewTopColourAsync("second@example.org", ReviewKind.DoubleReview, 0);

        await Database.AddSilverHairAsync();
        await Database.ExecuteAsync("INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, 0, -1, 0, now())", ("image", image));
        await ReviewTopColourAsync("third@example.org", ReviewKind.Review, 1);

        // One image, one unit: answers a, a, b (one agreeing pair of three), not the first two's unit beside it.
        var agreement = Assert.Single(await new AnnotatorStats(Database.DataSource, Database.Taxonomy()).AgreementAsync(CancellationToken.None));
        Assert.Equal(("top.color", 1L), (agreement.Attribute, agreement.Units));
        Assert.Equal(1.0 / 3, agreement.PercentAgreement, 6);
    }

    /// <summary>A new annotator takes the next item of that kind and answers its top colour (the value at <paramref name="place"/>) in the active version.</summary>
    private async Task ReviewTopColourAsync(string email, ReviewKind kind, int place)
    {
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var user = await Database.AddUserAsync(email);
        var active = new TaxonomyIndex(await Database.Taxonomy().GetActiveAsync());
        var top = active.Find("top.color")!;
        var lease = (await ReviewFixture.Queue(Database, options).ClaimNextAsync(user, [kind], CancellationToken.None))!;
        await ReviewFixture.Book(Database, options).CompleteAsync(lease, user, new Dictionary<int, int[]> { [top.Id] = [Value(top, place)] }, ImageFlags.None, 500,
            CancellationToken.None);
    }

    /// <summary>The attribute's value at that place in its list, the same key in either version (silver is added last).</summary>
    private static int Value(AttributeDefinition attribute, int place) => attribute.Values.OrderBy(v => v.Position).ElementAt(place).Id;
}

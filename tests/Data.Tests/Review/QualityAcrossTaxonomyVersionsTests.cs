using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Data.Tests.Routing;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>Quality checks (gold items, corrections, second reviews) that a data lead's change to the taxonomy falls in the middle of; a database of its own, since the change is global.</summary>
public sealed class QualityAcrossTaxonomyVersionsTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Gold_answers_and_proposals_made_before_a_taxonomy_change_score_the_annotators_answers_after_it_by_key()
    {
        var annotator = await _database.AddUserAsync("annotator@example.org");
        var old = new TaxonomyIndex(await _database.Taxonomy().GetActiveAsync());
        // Before the change: a gold item whose hair and top are each the first colour, and an image the captioner
        // proposed both for.
        var (hair, top) = (old.Find("hair.color")!, old.Find("top.color")!);
        await ReviewFixture.AddGoldImageAsync(_database, (hair.Id, [Value(hair, 0)]), (top.Id, [Value(top, 0)]));
        var image = (await ReviewFixture.AddQueuedImagesAsync(_database, 1)).Single();
        await ReviewFixture.ProposeAsync(_database, image, (hair.Id, [Value(hair, 0)]), (top.Id, [Value(top, 0)]));

        var active = new TaxonomyIndex(await _database.Taxonomy().CreateVersionAsync(
            TaxonomyEdits.AddValue(old.Version.ToSpec(), "hair.color", "silver", "silver"), "v2", "silver hair", "lead"));
        (hair, top) = (active.Find("hair.color")!, active.Find("top.color")!);
        var book = ReviewFixture.Book(_database);
        // After it, in the new version's ids: the review changes the hair and keeps the top; the gold item has the hair
        // right and the top wrong.
        var review = (await ReviewFixture.Queue(_database).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        await book.DecideAsync(review, annotator, hair.Id, [Value(hair, 1)], null, 1000, CancellationToken.None);
        await book.CompleteAsync(review, annotator, new Dictionary<int, int[]> { [top.Id] = [Value(top, 0)] }, ImageFlags.None, 500, CancellationToken.None);
        var gold = (await ReviewFixture.Queue(_database, new ReviewOptions { GoldShare = 1 }).ClaimNextAsync(annotator, [ReviewKind.Review], CancellationToken.None))!;
        Assert.Equal(ReviewKind.Gold, gold.Kind);
        await book.DecideAsync(gold, annotator, hair.Id, [Value(hair, 0)], null, 1000, CancellationToken.None);
        await book.CompleteAsync(gold, annotator, new Dictionary<int, int[]> { [top.Id] = [Value(top, 1)] }, ImageFlags.None, 500, CancellationToken.None);

        var stats = Assert.Single(await new AnnotatorStats(_database.DataSource, _database.Taxonomy()).PerAnnotatorAsync(CancellationToken.None));
        await using var db = await _database.Contexts.CreateDbContextAsync();
        var model = await db.ModelVersions.SingleAsync();
        var policy = (await RoutingFixture.Routing(_database).PolicyAsync(model.Id, CancellationToken.None)).Single(p => p.Attribute == "hair.color");

        Assert.Equal((0.5, 2, 0.5), (stats.CorrectionRate, stats.GoldAnswers, stats.GoldAccuracy));
        // Routing judges the captioner against annotators as accurate as their gold answers allow: one of two right.
        var options = new RoutingOptions();
        Assert.Equal(options.DefaultTarget * Wilson.UpperBound(1, 2, options.Confidence), policy.AgreementNeeded, 9);
    }

    [Fact]
    public async Task A_second_review_after_a_taxonomy_change_that_disagrees_with_the_first_goes_to_adjudication()
    {
        var (first, second) = (await _database.AddUserAsync("first@example.org"), await _database.AddUserAsync("second@example.org"));
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var image = (await ReviewFixture.AddQueuedImagesAsync(_database, 1)).Single();
        var old = new TaxonomyIndex(await _database.Taxonomy().GetActiveAsync());
        var review = (await ReviewFixture.Queue(_database, options).ClaimNextAsync(first, [ReviewKind.Review], CancellationToken.None))!;
        await ReviewFixture.Book(_database, options).CompleteAsync(review, first,
            new Dictionary<int, int[]> { [old.Find("top.color")!.Id] = [Value(old.Find("top.color")!, 0)] }, ImageFlags.None, 500, CancellationToken.None);

        var active = new TaxonomyIndex(await _database.Taxonomy().CreateVersionAsync(
            TaxonomyEdits.AddValue(old.Version.ToSpec(), "hair.color", "silver", "silver"), "v2", "silver hair", "lead"));
        var again = (await ReviewFixture.Queue(_database, options).ClaimNextAsync(second, [ReviewKind.DoubleReview], CancellationToken.None))!;
        await ReviewFixture.Book(_database, options).CompleteAsync(again, second,
            new Dictionary<int, int[]> { [active.Find("top.color")!.Id] = [Value(active.Find("top.color")!, 1)] }, ImageFlags.None, 500, CancellationToken.None);

        await using var db = await _database.Contexts.CreateDbContextAsync();
        Assert.True(await db.ReviewTasks.AnyAsync(t => t.ImageId == image && t.Kind == ReviewKind.Adjudication && t.Status == ReviewTaskStatus.Open));
    }

    /// <summary>The attribute's value at that place in its list, the same key in either version (silver is added last).</summary>
    private static int Value(AttributeDefinition attribute, int place) => attribute.Values.OrderBy(v => v.Position).ElementAt(place).Id;
}

using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;

namespace AnnotateAnyone.Data.Tests.Review;

public sealed class AgreementAcrossTaxonomyVersionsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Agreement_measured_before_a_taxonomy_change_counts_under_the_attributes_key_in_the_new_version()
    {
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        var options = new ReviewOptions { GoldShare = 0, DoubleReviewShare = 1 };
        var shot = await ReviewFixture.SingleChoiceAsync(database, "shot.shot_type", 0);
        var otherShot = (await ReviewFixture.SingleChoiceAsync(database, "shot.shot_type", 1)).Values;
        var images = await ReviewFixture.AddQueuedImagesAsync(database, 2);
        // Two annotators agree on the first image and disagree on the second, under version 1.
        foreach (var _ in images) await ReviewAsync(first, ReviewKind.Review, _ => shot.Values);
        foreach (var _ in images) await ReviewAsync(second, ReviewKind.DoubleReview, image => image == images[1] ? otherShot : shot.Values);
        var taxonomies = database.Taxonomy();
        var old = await taxonomies.GetActiveAsync();
        await taxonomies.CreateVersionAsync(TaxonomyEdits.AddValue(old.ToSpec(), "shot.shot_type", "wide_shot", "a wide shot"), old.Name, "added wide shots", "lead");

        var agreement = Assert.Single(await new AnnotatorStats(database.DataSource, taxonomies).AgreementAsync(CancellationToken.None));

        Assert.Equal(("shot.shot_type", 2L, 0.5), (agreement.Attribute, agreement.Units, agreement.PercentAgreement));

        async Task ReviewAsync(Guid user, ReviewKind kind, Func<long, int[]> answer)
        {
            var lease = (await ReviewFixture.Queue(database, options).ClaimNextAsync(user, [kind], CancellationToken.None))!;
            var book = ReviewFixture.Book(database, options);
            await book.CompleteAsync(lease, user, new Dictionary<int, int[]> { [shot.AttributeId] = answer(lease.ImageId) }, ImageFlags.None, 100, CancellationToken.None);
        }
    }
}

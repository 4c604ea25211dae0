using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Worker.Daring;
using AnnotateAnyone.Worker.Tests.Releases;

namespace AnnotateAnyone.Worker.Tests.Daring;

/// <summary>Daring trained on a round reads the round's verified images with their people's labels as captions.</summary>
public sealed class DaringRoundSourceTests(ReleaseHarness harness) : IClassFixture<ReleaseHarness>
{
    [Fact]
    public async Task A_round_reviewed_before_a_taxonomy_change_still_gives_every_verified_image_its_labels_and_caption()
    {
        int roundId;
        await using (var db = await harness.Database.Contexts.CreateDbContextAsync())
        {
            var round = new AnnotationRound { Number = 1, Name = "Round 1", Status = RoundStatus.Completed, TaxonomyVersionId = (await harness.Database.Taxonomy().GetActiveAsync()).Id };
            db.Rounds.Add(round);
            await db.SaveChangesAsync();
            roundId = round.Id;
        }
        await using (var assign = harness.DataSource.CreateCommand($"UPDATE images SET round_id = {roundId} WHERE status = 3"))
            await assign.ExecuteNonQueryAsync();
        // People labelled the round under version 1 (AI-accepted labels do not count); then a lead adds a hair colour.
        var humanLabelled = await harness.ScalarAsync<long>($"SELECT count(DISTINCT image_id) FROM labels WHERE source = 2");
        var taxonomies = harness.Database.Taxonomy();
        var first = await taxonomies.GetActiveAsync();
        await taxonomies.CreateVersionAsync(TaxonomyEdits.AddValue(first.ToSpec(), "hair.color", "silver", "silver"), first.Name, "added silver hair", "lead");

        var source = await new DaringImages(harness.Database.Contexts, harness.DataSource, harness.Store, taxonomies)
            .OpenAsync(new TrainDaringParameters(RoundId: roundId), validationShare: 0.1, CancellationToken.None);
        var images = new List<DaringImage>();
        await foreach (var (image, _) in source.Images) images.Add(image);

        Assert.Equal(humanLabelled, images.Count);
        Assert.All(images, image => Assert.Contains("shot.shot_type", image.Labels.Keys));
        Assert.All(images, image => Assert.NotEmpty(image.Groups));
    }
}

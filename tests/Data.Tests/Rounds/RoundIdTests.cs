using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Tests.Jobs;
using AnnotateAnyone.Data.Tests.Review;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>Rounds' ids, which the API names them by, against their numbers, which people read (a database of their own).</summary>
public sealed class RoundIdTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private RoundService Rounds() => new(database.Contexts, database.DataSource, HangfireScheduler.For(database), database.Taxonomy(), new VerifiedImages(database.DataSource));

    [Fact]
    public async Task A_start_refused_for_want_of_images_takes_no_id_from_the_sequence()
    {
        var nextId = await database.ScalarAsync("SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM annotation_rounds_id_seq");
        var refused = await Assert.ThrowsAsync<RoundException>(() => Rounds().StartAsync(5, null, CancellationToken.None));
        await ReviewFixture.AddQueuedImagesAsync(database, 2);

        var round = await Rounds().StartAsync(5, null, CancellationToken.None);

        Assert.Equal("No ingested image is waiting for a round: ingest more images first.", refused.Message);
        Assert.Equal(nextId, round.Id);
    }

    [Fact]
    public async Task A_round_looked_for_by_its_number_is_pointed_to_its_id()
    {
        await database.ExecuteAsync("""
            INSERT INTO annotation_rounds (id, number, name, status, taxonomy_version_id)
            VALUES (40, 30, 'Round 30', 4, (SELECT id FROM taxonomy_versions WHERE is_active))
            """);

        var byNumber = await Rounds().NotFoundAsync(30, CancellationToken.None);
        var unknown = await Rounds().NotFoundAsync(31, CancellationToken.None);
        var finishing = await Assert.ThrowsAsync<KeyNotFoundException>(() => Rounds().FinishAsync(30, null, CancellationToken.None));

        Assert.Equal("No round has id 30: the API names rounds by id, and round 30 (its number) has id 40.", byNumber);
        Assert.Equal("Round 31 does not exist.", unknown);
        Assert.Equal(byNumber, finishing.Message);
    }
}

using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Tests.Jobs;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>A platform with fewer verified images than a captioner trains on: a training could only fail, so none is queued.</summary>
public sealed class TrainingRefusalTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string TooFew = "a captioner trains on at least 10 and holds out at least 2; review more images before training.";

    [Fact]
    public async Task Finishing_a_round_or_starting_a_training_is_refused_until_enough_images_are_verified()
    {
        var scheduler = HangfireScheduler.For(database);
        var verified = new VerifiedImages(database.DataSource);
        var rounds = new RoundService(database.Contexts, database.DataSource, scheduler, database.Taxonomy(), verified);
        var registry = new CaptionerRegistry(database.Contexts, scheduler, new AuditTrail(database.Contexts), verified);
        var round = await ReviewingRoundAsync();
        await VerifiedImageRows.AddAsync(database, 11);

        var finish = await Assert.ThrowsAsync<RoundException>(() => rounds.FinishAsync(round, null, default));
        var train = await Assert.ThrowsAsync<RoundException>(() => registry.TrainAsync(new TrainCaptionerParameters(), null, default));
        var stillReviewing = await StatusAsync(round);
        var queuedWhileTooFew = await TrainingsAsync();
        await VerifiedImageRows.AddAsync(database, 1);
        await rounds.FinishAsync(round, null, default);

        Assert.Equal($"Only 11 verified image(s): {TooFew}", finish.Message);
        Assert.Equal(finish.Message, train.Message);
        Assert.Equal((RoundStatus.Reviewing, 0), (stillReviewing, queuedWhileTooFew));
        Assert.Equal((RoundStatus.Training, 1), (await StatusAsync(round), await TrainingsAsync()));
    }

    private async Task<int> ReviewingRoundAsync()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var round = new AnnotationRound { Number = 1, Name = "Round 1", Status = RoundStatus.Reviewing, TaxonomyVersionId = (await database.Taxonomy().GetActiveAsync()).Id };
        db.Rounds.Add(round);
        await db.SaveChangesAsync();
        return round.Id;
    }

    private async Task<RoundStatus> StatusAsync(int round)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Rounds.Where(r => r.Id == round).Select(r => r.Status).SingleAsync();
    }

    private async Task<int> TrainingsAsync()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.JobRuns.CountAsync(r => r.Kind == JobKind.TrainCaptioner);
    }
}

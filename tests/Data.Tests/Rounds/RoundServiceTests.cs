using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Tests.Jobs;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Tests.Rounds;

public sealed class RoundServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private JobScheduler Scheduler() => HangfireScheduler.For(database);

    private RoundService Rounds() => new(database.Contexts, database.DataSource, Scheduler(), database.Taxonomy(), new VerifiedImages(database.DataSource));

    private async Task<AnnotationRound> RoundAsync(RoundStatus status)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var round = new AnnotationRound
        {
            Number = (await db.Rounds.MaxAsync(r => (int?)r.Number) ?? 0) + 1, Name = "a round", Status = status,
            TaxonomyVersionId = (await database.Taxonomy().GetActiveAsync()).Id,
        };
        db.Rounds.Add(round);
        await db.SaveChangesAsync();
        return round;
    }

    private async Task<AnnotationRound> ReadAsync(int id)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Rounds.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    [Fact]
    public async Task A_failed_retraining_keeps_its_reason_until_the_round_is_finished_again()
    {
        await VerifiedImageRows.AddAsync(database, VerifiedImages.Fewest);
        var round = await RoundAsync(RoundStatus.Training);

        await Rounds().MarkFailedAsync(round.Id, RoundStatus.Training, new InvalidOperationException("Only 3 verified image(s): review more images before training."));
        var failed = await ReadAsync(round.Id);
        await Rounds().FinishAsync(round.Id, null, CancellationToken.None);
        var retrying = await ReadAsync(round.Id);

        Assert.Equal((RoundStatus.Failed, RoundStatus.Training, "Only 3 verified image(s): review more images before training."), (failed.Status, failed.FailedWhile, failed.Failure));
        Assert.Equal((RoundStatus.Training, null, null), (retrying.Status, retrying.FailedWhile, retrying.Failure));
    }

    [Fact]
    public async Task A_cancelled_job_fails_its_round_saying_so()
    {
        var round = await RoundAsync(RoundStatus.Proposing);

        await Rounds().MarkFailedAsync(round.Id, RoundStatus.Proposing, new OperationCanceledException());

        Assert.Equal("its job was cancelled", (await ReadAsync(round.Id)).Failure);
    }

    [Theory]
    [InlineData(JobKind.Round, RoundStatus.Proposing)]
    [InlineData(JobKind.TrainCaptioner, RoundStatus.Training)]
    public async Task Cancelling_the_queued_job_a_round_waits_on_fails_the_round_and_retrying_the_job_resumes_it(JobKind kind, RoundStatus step)
    {
        var round = await RoundAsync(step);
        var scheduler = Scheduler();
        var run = await scheduler.EnqueueAsync(kind, kind == JobKind.Round ? new RoundParameters(round.Id) : new TrainCaptionerParameters(round.Id), null);

        Assert.True(await scheduler.RequestCancelAsync(run.Id));
        var cancelled = await ReadAsync(round.Id);
        await scheduler.RetryAsync(run.Id);
        var retried = await ReadAsync(round.Id);

        Assert.Equal((RoundStatus.Failed, step, "its job was cancelled"), (cancelled.Status, cancelled.FailedWhile, cancelled.Failure));
        Assert.Equal((step, null, null), (retried.Status, retried.FailedWhile, retried.Failure));
    }

    [Fact]
    public async Task A_round_that_failed_while_proposing_cannot_be_finished_before_its_job_is_retried()
    {
        var round = await RoundAsync(RoundStatus.Proposing);
        await Rounds().MarkFailedAsync(round.Id, RoundStatus.Proposing, new IOException("The object store did not answer."));

        var refused = await Assert.ThrowsAsync<RoundException>(() => Rounds().FinishAsync(round.Id, null, CancellationToken.None));

        Assert.Contains("failed while proposing (The object store did not answer.): retry its round job", refused.Message);
        Assert.Equal(RoundStatus.Failed, (await ReadAsync(round.Id)).Status);
    }
}

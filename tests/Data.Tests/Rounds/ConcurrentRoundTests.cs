using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Tests.Jobs;
using AnnotateAnyone.Data.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Tests.Rounds;

/// <summary>Two leads (or a retried call) starting or finishing rounds, or retrying a job, at the same moment, on a database of their own.</summary>
public sealed class ConcurrentRoundTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private RoundService Rounds() => new(database.Contexts, database.DataSource, HangfireScheduler.For(database), database.Taxonomy(), new VerifiedImages(database.DataSource));

    /// <summary>Both outcomes of two calls made at once: how many were done, and the refusals the others threw.</summary>
    private static async Task<(int Done, string[] Refusals)> BothAsync(Func<Task> call)
    {
        var calls = new[] { Task.Run(call), Task.Run(call) };
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception e) when (e is RoundException or InvalidOperationException)
        {
            // Looked at below, call by call.
        }
        return (calls.Count(c => c.IsCompletedSuccessfully), calls.Where(c => c.IsFaulted).Select(c => c.Exception!.InnerException!.Message).ToArray());
    }

    [Fact]
    public async Task Rounds_started_at_once_and_finished_at_once_make_one_round_and_one_retraining()
    {
        await ReviewFixture.AddQueuedImagesAsync(database, 6);
        await VerifiedImageRows.AddAsync(database, VerifiedImages.Fewest);

        var started = await BothAsync(() => Rounds().StartAsync(3, null, CancellationToken.None));
        await using (var db = await database.Contexts.CreateDbContextAsync())
            await db.Rounds.ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RoundStatus.Reviewing));
        var round = await ReadSingleRoundAsync();
        var finished = await BothAsync(() => Rounds().FinishAsync(round.Id, null, CancellationToken.None));

        Assert.Equal(1, started.Done);
        Assert.Equal(["Another round is still proposing or training; start the next one when it has finished."], started.Refusals);
        Assert.Equal((1, 3), (round.Number, round.ImageCount));
        Assert.Equal(1, finished.Done);
        Assert.Equal([$"Round 1 is Training; only a round in review (or one whose retraining failed) can be finished."], finished.Refusals);
        await using var read = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(1, await read.JobRuns.CountAsync(j => j.Kind == JobKind.TrainCaptioner));
    }

    [Fact]
    public async Task A_failed_run_retried_twice_at_once_is_queued_once()
    {
        var scheduler = HangfireScheduler.For(database);
        var run = await scheduler.EnqueueAsync(JobKind.SelfTest, new { }, null);
        Assert.True(await scheduler.RequestCancelAsync(run.Id));

        // Held for a moment, so that both calls have read the run before either changes it.
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var hold = await connection.BeginTransactionAsync();
        await using (var row = new NpgsqlCommand($"SELECT 1 FROM job_runs WHERE id = {run.Id} FOR UPDATE", connection, hold))
            await row.ExecuteNonQueryAsync();
        var both = BothAsync(() => HangfireScheduler.For(database).RetryAsync(run.Id));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await hold.CommitAsync();
        var retried = await both;

        Assert.Equal(1, retried.Done);
        Assert.Equal([$"Job run {run.Id} is Queued; only failed or cancelled runs can be retried."], retried.Refusals);
    }

    private async Task<AnnotationRound> ReadSingleRoundAsync()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Rounds.AsNoTracking().SingleAsync();
    }
}

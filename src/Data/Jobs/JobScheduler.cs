using System.Text.Json;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Rounds;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>Starts, cancels and retries job runs: writes the platform's record, then hands it to Hangfire.</summary>
public sealed class JobScheduler(IDbContextFactory<AnnotateDbContext> contexts, IBackgroundJobClient hangfire, TimeProvider clock)
{
    /// <summary>How job parameters and results are written to their jsonb columns.</summary>
    public static readonly JsonSerializerOptions ParameterJson = new(JsonSerializerDefaults.Web) { Converters = { new PostgresText.StorableStrings() } };

    public async Task<JobRun> EnqueueAsync(JobKind kind, object parameters, Guid? createdBy, string? queue = null,
        CancellationToken cancellationToken = default)
    {
        queue ??= JobQueues.For(kind);
        if (!JobQueues.All.Contains(queue))
            throw new ArgumentException($"Unknown queue '{queue}'. Queues are: {string.Join(", ", JobQueues.All)}.", nameof(queue));

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = new JobRun
        {
            Kind = kind,
            Queue = queue,
            Status = JobRunStatus.Queued,
            Parameters = JsonSerializer.SerializeToDocument(parameters, parameters.GetType(), ParameterJson),
            CreatedBy = createdBy,
        };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);
        await HandToHangfireAsync(db, run, cancellationToken);
        return run;
    }

    /// <summary>
    /// Cancels a queued run at once; asks a running one to stop (its Worker sees the cancellation at the next
    /// check and records the run as cancelled). Returns false when the run had already ended.
    /// </summary>
    public async Task<bool> RequestCancelAsync(long jobRunId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var run = await LockAsync(db, jobRunId, cancellationToken);
        if (run.Status is not (JobRunStatus.Queued or JobRunStatus.Running)) return false;

        run.CancelRequestedAt = clock.GetUtcNow();
        if (run.Status == JobRunStatus.Queued)
        {
            run.Status = JobRunStatus.Cancelled;
            run.FinishedAt = run.CancelRequestedAt;
            // A running job marks its round failed as it stops; a queued one never runs, and its round would stay
            // proposing or training for good, holding up every next round.
            if (RoundWaitingOn(run) is var (round, step)) await RoundService.MarkFailedAsync(db, round, step, RoundService.JobCancelled, cancellationToken);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (run.HangfireJobId is not null) hangfire.Delete(run.HangfireJobId);
        return true;
    }

    /// <summary>
    /// Queues a failed or cancelled run again under the same id, so its history stays in one place. A round that failed
    /// at the step this run drives is at that step again (proposing, training) until the run ends.
    /// </summary>
    public async Task<JobRun> RetryAsync(long jobRunId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        JobRun run;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            run = await LockAsync(db, jobRunId, cancellationToken);
            if (run.Status is not (JobRunStatus.Failed or JobRunStatus.Cancelled))
                throw new InvalidOperationException($"Job run {jobRunId} is {run.Status}; only failed or cancelled runs can be retried.");
            run.Status = JobRunStatus.Queued;
            run.Error = null;
            run.CancelRequestedAt = null;
            run.FinishedAt = null;
            if (RoundWaitingOn(run) is var (round, step)) await RoundService.ResumeAsync(db, round, step, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        await HandToHangfireAsync(db, run, cancellationToken);
        return run;
    }

    private async Task HandToHangfireAsync(AnnotateDbContext db, JobRun run, CancellationToken cancellationToken)
    {
        var id = run.Id;
        run.HangfireJobId = hangfire.Create<IJobRunner>(runner => runner.RunAsync(id, CancellationToken.None), new EnqueuedState(run.Queue));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The round a run drives and the step the round is in while the run waits: its round job proposes, its retraining trains.</summary>
    private static (int Round, RoundStatus Step)? RoundWaitingOn(JobRun run)
    {
        RoundStatus? step = run.Kind switch { JobKind.Round => RoundStatus.Proposing, JobKind.TrainCaptioner => RoundStatus.Training, _ => null };
        return step is not null && run.Parameters.RootElement.TryGetProperty("roundId", out var round) && round.ValueKind == JsonValueKind.Number
            ? (round.GetInt32(), step.Value) : null;
    }

    /// <summary>
    /// The run, its row locked until the caller's transaction ends: a cancel and a retry (or two retries, which would
    /// hand one run to Hangfire twice) made at once take turns, the second seeing what the first left.
    /// </summary>
    private static async Task<JobRun> LockAsync(AnnotateDbContext db, long jobRunId, CancellationToken cancellationToken) =>
        await db.JobRuns.FromSql($"SELECT * FROM job_runs WHERE id = {jobRunId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
        ?? throw new KeyNotFoundException($"Job run {jobRunId} does not exist.");
}

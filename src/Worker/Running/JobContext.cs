using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Running;

/// <summary>What a running job sees of its run: its parameters, and where it reports progress, logs and curves.</summary>
public sealed class JobContext(JobRun run, IDbContextFactory<AnnotateDbContext> contexts, TimeProvider clock)
{
    public JobRun Run { get; } = run;

    /// <summary>Reads the run's parameters; a run queued with parameters of another shape fails with a clear error.</summary>
    public T Parameters<T>() =>
        Run.Parameters.Deserialize<T>(JobScheduler.ParameterJson)
        ?? throw new InvalidOperationException($"Job run {Run.Id} has no parameters of type {typeof(T).Name}.");

    public async Task ReportProgressAsync(float fraction, string? message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.JobRuns.Where(r => r.Id == Run.Id).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Progress, Math.Clamp(fraction, 0f, 1f))
            .SetProperty(r => r.ProgressMessage, PostgresText.StorableOrNull(message)), cancellationToken);
    }

    public async Task LogAsync(string level, string message, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.JobLogs.Add(new JobLogEntry { JobRunId = Run.Id, At = clock.GetUtcNow(), Level = level, Message = PostgresText.Storable(message) });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Whether an operator asked for the run to stop.</summary>
    public async Task<bool> IsCancelRequestedAsync()
    {
        // Without the job's token: it is asked once that token is cancelled.
        await using var db = await contexts.CreateDbContextAsync();
        return await db.JobRuns.AnyAsync(r => r.Id == Run.Id && r.CancelRequestedAt != null);
    }

    /// <summary>
    /// Whether <paramref name="failure"/> ends the run, so that what it drives (a round, a release) is to be marked
    /// failed. A run interrupted by its Worker stopping does not end: it goes back to the queue and resumes (from its
    /// checkpoint, where it keeps one), and until then what it drives is still under way, not failed and offered again.
    /// </summary>
    public async Task<bool> EndsTheRunAsync(Exception failure, CancellationToken cancellationToken) =>
        !(failure is OperationCanceledException && cancellationToken.IsCancellationRequested) || await IsCancelRequestedAsync();

    /// <summary>Records one step of one or more curves; re-recording a step (after a resume) replaces it.</summary>
    public async Task RecordMetricsAsync(int step, IReadOnlyDictionary<string, double> values, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        foreach (var (name, value) in values)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO job_metrics (job_run_id, name, step, value) VALUES ({Run.Id}, {name}, {step}, {value})
                ON CONFLICT (job_run_id, name, step) DO UPDATE SET value = excluded.value, recorded_at = now()
                """, cancellationToken);
    }
}

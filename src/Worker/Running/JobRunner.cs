using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Worker.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Worker.Running;

/// <summary>
/// The Worker side of <see cref="IJobRunner"/>: marks the run as running here, dispatches to the handler of
/// its kind, and records how it ended. A run cancelled by an operator ends as Cancelled; a run interrupted by
/// this Worker shutting down goes back to Queued and Hangfire hands it to another Worker.
/// </summary>
internal sealed class JobRunner(
    IDbContextFactory<AnnotateDbContext> contexts,
    IEnumerable<IJobHandler> handlers,
    WorkerIdentity worker,
    TimeProvider clock,
    ILogger<JobRunner> log) : IJobRunner
{
    public async Task RunAsync(long jobRunId, CancellationToken cancellationToken)
    {
        var run = await StartAsync(jobRunId, cancellationToken);
        if (run is null) return;

        var handler = handlers.SingleOrDefault(h => h.Kind == run.Kind);
        var context = new JobContext(run, contexts, clock);
        try
        {
            if (handler is null) throw new InvalidOperationException($"This Worker has no handler for {run.Kind} jobs.");
            var result = await handler.RunAsync(context, cancellationToken);
            await FinishAsync(run.Id, JobRunStatus.Succeeded, result, error: null);
            log.LogInformation("Job run {Run} ({Kind}) succeeded on {Worker}", run.Id, run.Kind, worker.Id);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (await context.IsCancelRequestedAsync())
            {
                await FinishAsync(run.Id, JobRunStatus.Cancelled, result: null, error: null);
                log.LogInformation("Job run {Run} cancelled on request", run.Id);
                return;
            }
            await SetStatusAsync(run.Id, JobRunStatus.Queued);
            throw;
        }
        catch (Exception e)
        {
            await FinishAsync(run.Id, JobRunStatus.Failed, result: null, error: Describe(e));
            log.LogError(e, "Job run {Run} ({Kind}) failed", run.Id, run.Kind);
            throw;
        }
    }

    /// <summary>
    /// What a failed run says. The jobs explain a refusal in a sentence, as an InvalidOperationException, an
    /// ArgumentException, an InvalidDataException or one of the platform's own exceptions, where the type only hides the
    /// sentence ("InvalidOperationException: Only 3 verified image(s) ..."); anything else keeps its type, since an
    /// IOException's or a NullReferenceException's message alone does not say what went wrong.
    /// </summary>
    private static string Describe(Exception e) =>
        e is InvalidOperationException or ArgumentException or InvalidDataException or KeyNotFoundException or NotSupportedException
        || e.GetType().Namespace?.StartsWith("AnnotateAnyone", StringComparison.Ordinal) == true
            ? e.Message : $"{e.GetType().Name}: {e.Message}";

    private async Task<JobRun?> StartAsync(long jobRunId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.SingleOrDefaultAsync(r => r.Id == jobRunId, cancellationToken);
        if (run is null || run.Status is JobRunStatus.Succeeded or JobRunStatus.Cancelled)
        {
            log.LogWarning("Job run {Run} is {Status}; nothing to do", jobRunId, run?.Status.ToString() ?? "missing");
            return null;
        }
        run.Status = JobRunStatus.Running;
        run.WorkerId = worker.Id;
        run.Attempts++;
        run.StartedAt = clock.GetUtcNow();
        run.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        return run;
    }

    // Endings are written without the job's token: a cancelled job must still be able to say so.
    private async Task FinishAsync(long jobRunId, JobRunStatus status, object? result, string? error)
    {
        var json = result is null ? null : JsonSerializer.SerializeToDocument(result, result.GetType(), JobScheduler.ParameterJson);
        await using var db = await contexts.CreateDbContextAsync();
        await db.JobRuns.Where(r => r.Id == jobRunId).ExecuteUpdateAsync(set => set
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Result, json)
            .SetProperty(r => r.Error, PostgresText.StorableOrNull(error))
            .SetProperty(r => r.Progress, r => status == JobRunStatus.Succeeded ? 1f : r.Progress)
            .SetProperty(r => r.FinishedAt, clock.GetUtcNow()));
    }

    private async Task SetStatusAsync(long jobRunId, JobRunStatus status)
    {
        await using var db = await contexts.CreateDbContextAsync();
        await db.JobRuns.Where(r => r.Id == jobRunId).ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, status));
    }
}

using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Operations;

public enum AlertLevel
{
    Warning,
    Error,
}

public sealed record OpsAlert(AlertLevel Level, string Title, string Detail, string? Link);

/// <summary>When to call ops: how long the oldest job may wait, and how many failures of one kind in the window are too many.</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    public TimeSpan QueueWaitLimit { get; set; } = TimeSpan.FromMinutes(10);

    public int QueueDepthLimit { get; set; } = 50;

    public int RepeatedFailures { get; set; } = 3;

    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>What needs an operator now: dead Workers, queues backing up, jobs failing again and again.</summary>
public sealed class OpsAlerts(JobViews jobs, IDbContextFactory<AnnotateDbContext> contexts, IOptions<AlertOptions> options, TimeProvider clock)
{
    public async Task<IReadOnlyList<OpsAlert>> CurrentAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = clock.GetUtcNow();
        var alerts = new List<OpsAlert>();

        // A dead Worker is reported while it is listed: for a day after its last heartbeat.
        foreach (var worker in (await jobs.WorkersAsync(cancellationToken)).Where(w => w.State == nameof(WorkerState.Dead)))
            alerts.Add(new OpsAlert(AlertLevel.Error, $"Worker {worker.HostName} is dead",
                $"{worker.Id} ({worker.DeviceName}) last sent a heartbeat at {worker.HeartbeatAt:yyyy-MM-dd HH:mm:ss} UTC; its jobs go back to the queue.", null));

        foreach (var queue in await jobs.QueuesAsync(cancellationToken))
        {
            if (queue.Queued >= o.QueueDepthLimit)
                alerts.Add(new OpsAlert(AlertLevel.Warning, $"Queue {queue.Queue} is backing up", $"{queue.Queued} jobs are waiting.", null));
            else if (queue.OldestQueuedAt is { } oldest && now - oldest > o.QueueWaitLimit)
                alerts.Add(new OpsAlert(AlertLevel.Warning, $"Queue {queue.Queue} is not moving",
                    $"Its oldest job has waited {(now - oldest).TotalMinutes:0} minutes: is a Worker serving \"{queue.Queue}\" alive?", null));
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var since = now - o.FailureWindow;
        var failing = await db.JobRuns.AsNoTracking().Where(r => r.Status == JobRunStatus.Failed && r.FinishedAt > since)
            .GroupBy(r => r.Kind).Select(g => new { Kind = g.Key, Count = g.Count(), Last = g.Max(r => r.Id) })
            .Where(g => g.Count >= o.RepeatedFailures).ToListAsync(cancellationToken);
        foreach (var kind in failing)
            alerts.Add(new OpsAlert(AlertLevel.Error, $"{kind.Kind} jobs keep failing",
                $"{kind.Count} failed in the last {o.FailureWindow.TotalMinutes:0} minutes.", $"/ops/jobs/{kind.Last}"));
        return alerts;
    }
}

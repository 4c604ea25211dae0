using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Jobs;

public sealed record JobLogView(long Id, DateTimeOffset At, string Level, string Message);

/// <summary>One named curve of a job (loss, validation accuracy, HOLA loss): values by step.</summary>
public sealed record JobCurve(string Name, IReadOnlyList<(int Step, double Value)> Points);

public sealed record QueueView(string Queue, int Queued, int Running, DateTimeOffset? OldestQueuedAt);

/// <summary>Job runs, their logs and curves, queues and Workers, as the ops pages and the API show them.</summary>
public sealed class JobViews(IDbContextFactory<AnnotateDbContext> contexts, IOptions<JobsOptions> jobs, TimeProvider clock)
{
    /// <summary>Job runs newest first; <paramref name="before"/>: only runs older than that one (the last id of the page before).</summary>
    public async Task<IReadOnlyList<JobRunView>> ListAsync(JobRunStatus? status, JobKind? kind, long? before, int take, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var runs = db.JobRuns.AsNoTracking();
        if (status is { } s) runs = runs.Where(r => r.Status == s);
        if (kind is { } k) runs = runs.Where(r => r.Kind == k);
        if (before is { } older) runs = runs.Where(r => r.Id < older);
        var page = await runs.OrderByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken);
        return page.Select(JobRunView.From).ToList();
    }

    public async Task<JobRunView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var run = await db.JobRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? null : JobRunView.From(run);
    }

    public async Task<bool> ExistsAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobRuns.AnyAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>The run's log lines after <paramref name="afterId"/>, oldest first, so a live view fetches only what is new.</summary>
    public async Task<IReadOnlyList<JobLogView>> LogsAsync(long id, long afterId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.JobLogs.AsNoTracking().Where(l => l.JobRunId == id && l.Id > afterId).OrderBy(l => l.Id).Take(1000)
            .Select(l => new JobLogView(l.Id, l.At, l.Level, l.Message)).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<JobCurve>> CurvesAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var points = await db.JobMetrics.AsNoTracking().Where(m => m.JobRunId == id).OrderBy(m => m.Step)
            .Select(m => new { m.Name, m.Step, m.Value }).ToListAsync(cancellationToken);
        return points.GroupBy(p => p.Name).Select(g => new JobCurve(g.Key, g.Select(p => (p.Step, p.Value)).ToList())).ToList();
    }

    /// <summary>How long a Worker that stopped or died stays listed (and a dead one raises its alert) after it was last heard from.</summary>
    private static readonly TimeSpan GoneWorkersListedFor = TimeSpan.FromDays(1);

    public async Task<IReadOnlyList<WorkerView>> WorkersAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        // Every restart of a Worker registers a new one, and one killed outright never says it stopped: those that
        // stopped or died are listed for a day after they were last heard from, then left out, or the rows of every
        // restart would pile up for good.
        var heardSince = now - GoneWorkersListedFor;
        var workers = await db.WorkerHosts.AsNoTracking().Where(w => w.HeartbeatAt > heardSince || w.StoppedAt > heardSince)
            .OrderByDescending(w => w.HeartbeatAt).Take(500).ToListAsync(cancellationToken);
        return workers.Select(w => WorkerView.From(w, w.StateAt(now, jobs.Value.WorkerDeadAfter))).ToList();
    }

    /// <summary>Every queue, with what waits in it, what runs, and how long the oldest has waited.</summary>
    public async Task<IReadOnlyList<QueueView>> QueuesAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.JobRuns.AsNoTracking().Where(r => r.Status == JobRunStatus.Queued || r.Status == JobRunStatus.Running)
            .GroupBy(r => r.Queue)
            .Select(g => new
            {
                Queue = g.Key,
                Queued = g.Count(r => r.Status == JobRunStatus.Queued),
                Running = g.Count(r => r.Status == JobRunStatus.Running),
                Oldest = g.Where(r => r.Status == JobRunStatus.Queued).Min(r => (DateTimeOffset?)r.CreatedAt),
            }).ToListAsync(cancellationToken);
        return JobQueues.All.Select(q => counts.SingleOrDefault(c => c.Queue == q) is { } c ? new QueueView(q, c.Queued, c.Running, c.Oldest) : new QueueView(q, 0, 0, null)).ToList();
    }
}

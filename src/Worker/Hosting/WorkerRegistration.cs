using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Hosting;

/// <summary>
/// Announces this Worker and its capabilities in worker_hosts, then refreshes its heartbeat. A Worker killed
/// without warning simply stops beating; the dashboard calls it dead once the heartbeat is too old.
/// </summary>
internal sealed class WorkerRegistration(
    IDbContextFactory<AnnotateDbContext> contexts,
    WorkerIdentity identity,
    IOptions<WorkerOptions> options,
    TimeProvider clock,
    ILogger<WorkerRegistration> log) : PeriodicWork(options.Value.HeartbeatInterval, clock, log)
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var device = identity.Device;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.WorkerHosts.Add(new WorkerHost
            {
                Id = identity.Id,
                HostName = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                Compute = device.IsCuda ? ComputeKind.Cuda : ComputeKind.Cpu,
                DeviceName = device.Name,
                MemoryBytes = device.MemoryBytes,
                DeviceMemoryBytes = device.DeviceMemoryBytes,
                Queues = [.. options.Value.ServedQueues],
                Version = typeof(WorkerRegistration).Assembly.GetName().Version?.ToString() ?? "unknown",
                StartedAt = now,
                HeartbeatAt = now,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        Log.LogInformation("Worker {Worker} on {Device} serves queues {Queues}", identity.Id, device.Name, string.Join(",", options.Value.ServedQueues));
        await base.StartAsync(cancellationToken);
    }

    protected override string Work => $"Heartbeat of {identity.Id}";

    protected override Task TickAsync(CancellationToken stoppingToken) =>
        SetAsync(w => w.SetProperty(h => h.HeartbeatAt, Clock.GetUtcNow()), stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SetAsync(w => w.SetProperty(h => h.StoppedAt, Clock.GetUtcNow()), cancellationToken);
    }

    private async Task SetAsync(Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<WorkerHost>> set, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.WorkerHosts.Where(h => h.Id == identity.Id).ExecuteUpdateAsync(set, cancellationToken);
    }
}

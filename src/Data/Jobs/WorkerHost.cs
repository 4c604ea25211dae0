using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// A running Worker process and what it can do. It upserts this row at start and refreshes
/// <see cref="HeartbeatAt"/> on an interval, and records <see cref="StoppedAt"/> when it shuts down; a row whose
/// heartbeat is too old without that belongs to a dead Worker.
/// </summary>
public sealed class WorkerHost
{
    public required string Id { get; set; }
    public required string HostName { get; set; }
    public int ProcessId { get; set; }
    public ComputeKind Compute { get; set; }
    public required string DeviceName { get; set; }
    public long MemoryBytes { get; set; }
    public long? DeviceMemoryBytes { get; set; }
    public required string[] Queues { get; set; }
    public required string Version { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset HeartbeatAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>Stopped when it shut down cleanly (its jobs were handed back); dead when it went silent without doing so.</summary>
    public WorkerState StateAt(DateTimeOffset now, TimeSpan deadAfter) =>
        StoppedAt is not null ? WorkerState.Stopped : now - HeartbeatAt < deadAfter ? WorkerState.Alive : WorkerState.Dead;
}

public enum WorkerState
{
    Alive,
    Stopped,
    Dead,
}

public enum ComputeKind : short
{
    Cpu = 0,
    Cuda = 1,
}

internal sealed class WorkerHostConfiguration : IEntityTypeConfiguration<WorkerHost>
{
    public void Configure(EntityTypeBuilder<WorkerHost> worker)
    {
        worker.ToTable("worker_hosts");
        worker.HasIndex(w => w.HeartbeatAt);
    }
}

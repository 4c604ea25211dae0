using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// A running Worker process and what it can do. It upserts this row at start and refreshes
/// <see cref="HeartbeatAt"/> on an interval; a row whose heartbeat is too old belongs to a dead Worker.
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

    public bool IsAlive(DateTimeOffset now, TimeSpan deadAfter) => StoppedAt is null && now - HeartbeatAt < deadAfter;
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

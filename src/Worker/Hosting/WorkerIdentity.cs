using AnnotateAnyone.Model.Compute;

namespace AnnotateAnyone.Worker.Hosting;

/// <summary>Who this process is among many Workers: unique across restarts and machines, readable in the dashboard.</summary>
public sealed class WorkerIdentity(ComputeDevice device)
{
    public string Id { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    public ComputeDevice Device { get; } = device;
}

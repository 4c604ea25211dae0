using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.SelfTest;

/// <summary>
/// Checks a Worker end to end: it was reached through its queue, libtorch loads and computes on its device,
/// and it reports back. Ops run it after adding a node; with a duration it doubles as a burn-in.
/// </summary>
internal sealed class SelfTestJob(WorkerIdentity worker) : IJobHandler
{
    public JobKind Kind => JobKind.SelfTest;

    public async Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var parameters = context.Parameters<SelfTestParameters>();
        await context.ReportProgressAsync(0, $"Computing on {worker.Device.Name}", cancellationToken);
        var result = await Task.Run(() =>
            TensorSelfTest.Run(worker.Device, TimeSpan.FromSeconds(parameters.DurationSeconds), cancellationToken), cancellationToken);
        return new SelfTestResult(worker.Id, result.Device, result.Iterations, result.Checksum, result.GigaflopsPerSecond);
    }
}

public sealed record SelfTestResult(string WorkerId, string Device, int Iterations, double Checksum, double GigaflopsPerSecond);

using System.ComponentModel;
using Hangfire;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// The one job type Hangfire carries between hosts: "run job run N". Web enqueues it; the Worker's
/// implementation loads the <see cref="JobRun"/> and dispatches on its kind. Hangfire does not retry on its
/// own (a failure is recorded on the run and an operator retries it); a Worker that dies mid-job has the job
/// picked up again by another Worker once the invisibility timeout passes.
/// </summary>
public interface IJobRunner
{
    [AutomaticRetry(Attempts = 0)]
    [DisplayName("Job run #{0}")]
    Task RunAsync(long jobRunId, CancellationToken cancellationToken);
}

using System.ComponentModel;
using Hangfire;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// The one job type Hangfire carries between hosts: "run job run N". Web enqueues it; the Worker's
/// implementation loads the <see cref="JobRun"/> and dispatches on its kind. Hangfire does not retry on its
/// own (a failure is recorded on the run and an operator retries it); a Worker that dies mid-job has the job
/// picked up again by another Worker once the invisibility timeout passes. The runner logs a failure with its job
/// run and kind, so Hangfire's own error log of the same exception is turned off.
/// </summary>
public interface IJobRunner
{
    [AutomaticRetry(Attempts = 0, LogEvents = false)]
    [DisplayName("Job run #{0}")]
    Task RunAsync(long jobRunId, CancellationToken cancellationToken);
}

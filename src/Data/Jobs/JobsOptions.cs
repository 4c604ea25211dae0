using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a job fetched by a Worker that stopped sending keep-alives stays invisible before another
    /// Worker takes it. Live Workers extend it while they run, so long training jobs are never taken twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often an idle Worker looks for jobs whose Worker died. New jobs arrive at once through LISTEN/NOTIFY
    /// (<see cref="WakeableJobQueues"/>); this poll is the fallback should a notification be lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A Worker whose heartbeat is older than this is shown (and alerted on) as dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkerDeadAfter { get; set; } = TimeSpan.FromSeconds(45);
}

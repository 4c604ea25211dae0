using System.Collections.Concurrent;
using System.Data;
using Hangfire.PostgreSql;
using Hangfire.Storage;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// Hangfire.PostgreSql's queues, with the fetches under way in this process kept so that they can be woken.
/// Its long polling opens a LISTEN afresh for each fetch, beside the fetch's first query: a job enqueued between
/// that query and the LISTEN sends its notification to no one and waits for the next poll
/// (<see cref="JobsOptions.QueuePollInterval"/>, seconds). <see cref="JobNotificationListener"/> listens all the
/// time and wakes every fetch here on each notification; a fetch woken before it waits looks again at once.
/// </summary>
public sealed class WakeableJobQueues : IPersistentJobQueueProvider
{
    /// <summary>The channel Hangfire.PostgreSql notifies when it enqueues a job (a constant of its own, not public).</summary>
    public const string NewJobChannel = "new_job";

    private readonly PostgreSqlJobQueueProvider _queues;
    private readonly ConcurrentDictionary<PostgreSqlJobQueue, byte> _fetching = new();

    private WakeableJobQueues(PostgreSqlStorage storage, PostgreSqlStorageOptions options) =>
        _queues = new PostgreSqlJobQueueProvider(storage, options);

    /// <summary>
    /// Makes these the queues the storage fetches from and enqueues to. The storage's own provider stays in its
    /// collection (it cannot be removed) and still lists the queues to the dashboard; this one serves them.
    /// </summary>
    public static WakeableJobQueues ServeQueuesOf(PostgreSqlStorage storage, PostgreSqlStorageOptions options)
    {
        var queues = new WakeableJobQueues(storage, options);
        storage.QueueProviders.Add(queues, JobQueues.All);
        return queues;
    }

    public IPersistentJobQueue GetJobQueue() => new Queue(this, (PostgreSqlJobQueue)_queues.GetJobQueue());

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => new UnlistedQueues(_queues.GetJobQueueMonitoringApi());

    /// <summary>Makes every fetch under way look for a job again (called from any thread).</summary>
    public void WakeFetches()
    {
        foreach (var queue in _fetching.Keys) queue.FetchNextJob();
    }

    private sealed class Queue(WakeableJobQueues owner, PostgreSqlJobQueue queue) : IPersistentJobQueue
    {
        public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken)
        {
            owner._fetching.TryAdd(queue, 0);
            try { return queue.Dequeue(queues, cancellationToken); }
            finally { owner._fetching.TryRemove(queue, out _); }
        }

        public void Enqueue(IDbConnection connection, string name, string jobId) => queue.Enqueue(connection, name, jobId);
    }

    /// <summary>The queues' figures, without listing the queues a second time beside the storage's own provider.</summary>
    private sealed class UnlistedQueues(IPersistentJobQueueMonitoringApi queues) : IPersistentJobQueueMonitoringApi
    {
        public IEnumerable<string> GetQueues() => [];
        public IEnumerable<long> GetEnqueuedJobIds(string queue, int from, int perPage) => queues.GetEnqueuedJobIds(queue, from, perPage);
        public IEnumerable<long> GetFetchedJobIds(string queue, int from, int perPage) => queues.GetFetchedJobIds(queue, from, perPage);
        public EnqueuedAndFetchedCountDto GetEnqueuedAndFetchedCount(string queue) => queues.GetEnqueuedAndFetchedCount(queue);
    }
}

using System.Diagnostics;
using AnnotateAnyone.Data.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.States;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnotateAnyone.Data.Tests.Jobs;

public sealed class JobWakeUpTests : DatabasePerTest
{
    private static readonly TimeSpan LongPoll = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Hangfire.PostgreSql listens for new jobs afresh on each fetch, so a job enqueued just before that listening
    /// began waited for the next poll (5 s by default). Here Hangfire's own listening is off and the poll is ten
    /// minutes away: only the Worker's standing listener can bring the job to the waiting fetch.
    /// </summary>
    [Fact]
    public Task A_waiting_fetch_takes_a_job_enqueued_elsewhere_at_once_without_waiting_for_the_poll() =>
        WithListenerAsync(async (serving, startFetch) =>
        {
            var fetch = startFetch();
            await Task.Delay(TimeSpan.FromSeconds(1)); // the fetch has found nothing and waits
            Assert.False(fetch.IsCompleted);

            var clock = Stopwatch.StartNew();
            var jobId = await EnqueueAsIfFromAnotherProcessAsync(serving);

            using var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(jobId, fetched.JobId);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"fetched after {clock.Elapsed}");
        });

    /// <summary>A listener whose connection the server ended listens again and still wakes the fetch.</summary>
    [Fact]
    public Task The_listener_listens_again_after_its_connection_is_ended() =>
        WithListenerAsync(async (serving, startFetch) =>
        {
            const string Listening = $"SELECT count(*) FROM pg_stat_activity WHERE query = 'LISTEN {WakeableJobQueues.NewJobChannel}'";
            await Eventually.WaitForAsync(() => Database.ScalarAsync(Listening), n => n == 1, TimeSpan.FromSeconds(10), "the listener to listen");
            await Database.ScalarAsync($"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = 'LISTEN {WakeableJobQueues.NewJobChannel}'");
            var fetch = startFetch();
            await Eventually.WaitForAsync(() => Database.ScalarAsync(Listening), n => n == 1, TimeSpan.FromSeconds(10), "the listener to listen again");

            var jobId = await EnqueueAsIfFromAnotherProcessAsync(serving);

            using var fetched = await fetch.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(jobId, fetched.JobId);
        });

    /// <summary>
    /// Runs a scenario beside a Worker's listener, on a storage whose own listening is off and whose poll is ten minutes
    /// away, with a way to start a fetch there; the fetch and the listener are stopped after.
    /// </summary>
    private async Task WithListenerAsync(Func<PostgreSqlStorage, Func<Task<IFetchedJob>>, Task> scenario)
    {
        var (serving, queues) = Storage(hangfireListens: false);
        using var listener = new JobNotificationListener(Database.DataSource, queues, NullLogger<JobNotificationListener>.Instance);
        using var fetching = new CancellationTokenSource(LongPoll);
        await listener.StartAsync(CancellationToken.None);
        try
        {
            await scenario(serving, () => Task.Run(() =>
            {
                using var connection = serving.GetConnection();
                return connection.FetchNextJob([JobQueues.Default], fetching.Token);
            }));
        }
        finally
        {
            await fetching.CancelAsync();
            await listener.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void The_dashboard_lists_each_queue_once()
    {
        var (storage, _) = Storage(hangfireListens: true);
        var client = new BackgroundJobClient(storage);
        foreach (var queue in JobQueues.All)
            client.Create<IJobRunner>(runner => runner.RunAsync(1, CancellationToken.None), new EnqueuedState(queue));

        var listed = storage.GetMonitoringApi().Queues();

        Assert.Equal(JobQueues.All.Order(), listed.Select(q => q.Name).Order());
        Assert.All(listed, q => Assert.Equal(1, q.Length));
    }

    /// <summary>
    /// What Hangfire.PostgreSql's enqueue does in another process: a queue row and a notification. (An enqueue in
    /// this process would also wake the fetch through Hangfire's in-process signal, whoever listens.)
    /// </summary>
    private async Task<string> EnqueueAsIfFromAnotherProcessAsync(PostgreSqlStorage storage)
    {
        var jobId = new BackgroundJobClient(storage).Create<IJobRunner>(runner => runner.RunAsync(1, CancellationToken.None), new ScheduledState(TimeSpan.FromDays(1)));
        await Database.ScalarAsync($"INSERT INTO hangfire.jobqueue (jobid, queue) VALUES ({jobId}, '{JobQueues.Default}'); NOTIFY {WakeableJobQueues.NewJobChannel}; SELECT 1");
        return jobId;
    }

    private (PostgreSqlStorage Storage, WakeableJobQueues Queues) Storage(bool hangfireListens)
    {
        var options = new PostgreSqlStorageOptions { EnableLongPolling = hangfireListens, QueuePollInterval = LongPoll, PrepareSchemaIfNecessary = true };
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(Database.ConnectionString, options), options);
        return (storage, WakeableJobQueues.ServeQueuesOf(storage, options));
    }
}

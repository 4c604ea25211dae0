using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AnnotateAnyone.Data.Jobs;

/// <summary>
/// Keeps one connection listening for Hangfire's new-job notifications for as long as the process serves jobs,
/// and wakes this process's fetches on each (see <see cref="WakeableJobQueues"/>). A lost connection is opened
/// again after a second; the fetches are woken then too, for a job enqueued while no one listened.
/// </summary>
public sealed class JobNotificationListener(NpgsqlDataSource dataSource, WakeableJobQueues queues, ILogger<JobNotificationListener> log)
    : BackgroundService
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException)
            {
                log.LogWarning(e, "Listening for new jobs failed; listening again in a second (until then a new job waits for the queue poll)");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, _) => queues.WakeFetches();
        await using (var listen = new NpgsqlCommand($"LISTEN {WakeableJobQueues.NewJobChannel}", connection))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        queues.WakeFetches();
        while (true)
        {
            if (await connection.WaitAsync(Quiet, stoppingToken)) continue;
            // A connection the network dropped without a word waits for ever: a quiet minute is checked with a query.
            await using var check = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = 10 };
            await check.ExecuteScalarAsync(stoppingToken);
        }
    }
}

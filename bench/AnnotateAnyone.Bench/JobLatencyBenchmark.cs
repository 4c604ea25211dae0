using System.Diagnostics;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AnnotateAnyone.Bench;

/// <summary>
/// How long from "enqueue" in one process to "running" in a Worker process: the platform's whole path
/// (job_runs row, Hangfire, LISTEN/NOTIFY, the Worker marking the run as running), beside the floor any such
/// path has on this machine, a bare PostgreSQL NOTIFY from one connection to a LISTEN on another.
/// </summary>
public static class JobLatencyBenchmark
{
    private const int Jobs = 40;

    public static async Task<BenchResult> RunAsync(BenchEnvironment environment)
    {
        var connectionString = await environment.CreateDatabaseAsync("bench_jobs");
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Annotate"] = connectionString });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddAnnotateData();
        builder.AddJobStorage();
        using var host = builder.Build();
        var scheduler = host.Services.GetRequiredService<JobScheduler>();
        var contexts = host.Services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>();

        using var worker = environment.StartHost("Worker", new Dictionary<string, string>
        {
            ["ConnectionStrings__Annotate"] = connectionString,
            ["Storage__Path"] = Path.Combine(environment.Scratch, "store"),
            ["Worker__Queues__0"] = JobQueues.Default,
            ["Worker__Concurrency"] = "1",
        });
        try
        {
            for (var i = 0; i < 3; i++) await StartLatencyAsync(scheduler, contexts); // warm-up: JIT, pools, schema
            var ours = new List<double>();
            for (var i = 0; i < Jobs; i++) ours.Add(await StartLatencyAsync(scheduler, contexts));
            var notify = await NotifyLatenciesAsync(connectionString, Jobs);

            var (p50, p95, notifyP50) = (Percentiles.Of(ours, 50), Percentiles.Of(ours, 95), Percentiles.Of(notify, 50));
            Console.WriteLine($"enqueue to running, {Jobs} jobs: p50 {p50:F1} ms, p95 {p95:F1} ms");
            Console.WriteLine($"bare NOTIFY to LISTEN, {Jobs} round trips: p50 {notifyP50:F2} ms");
            return new BenchResult(p50 / notifyP50, ("p50_ms", p50), ("p95_ms", p95), ("notify_p50_ms", notifyP50));
        }
        finally
        {
            worker.Kill(entireProcessTree: true);
        }
    }

    private static async Task<double> StartLatencyAsync(JobScheduler scheduler, IDbContextFactory<AnnotateDbContext> contexts)
    {
        var enqueuedAt = DateTimeOffset.UtcNow;
        var run = await scheduler.EnqueueAsync(JobKind.SelfTest, new SelfTestParameters(), createdBy: null, JobQueues.Default);
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync();
            var startedAt = await db.JobRuns.Where(r => r.Id == run.Id && r.Status == JobRunStatus.Succeeded).Select(r => r.StartedAt).SingleOrDefaultAsync();
            if (startedAt is { } at) return (at - enqueuedAt).TotalMilliseconds;
            await Task.Delay(5);
        }
    }

    private static async Task<List<double>> NotifyLatenciesAsync(string connectionString, int count)
    {
        await using var listener = new NpgsqlConnection(connectionString);
        await using var sender = new NpgsqlConnection(connectionString);
        await listener.OpenAsync();
        await sender.OpenAsync();
        await using (var listen = new NpgsqlCommand("LISTEN bench", listener)) await listen.ExecuteNonQueryAsync();

        var latencies = new List<double>();
        for (var i = 0; i < count + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            await using (var notify = new NpgsqlCommand("NOTIFY bench", sender)) await notify.ExecuteNonQueryAsync();
            await listener.WaitAsync();
            if (i >= 3) latencies.Add(watch.Elapsed.TotalMilliseconds);
        }
        return latencies;
    }
}

using System.Diagnostics.Metrics;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Telemetry;
using AnnotateAnyone.Web.Accounts;
using AnnotateAnyone.Web.Jobs;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AnnotateAnyone.Web.Operations;

/// <summary>
/// Prometheus metrics at /metrics (OpenTelemetry): the platform's meter (review throughput, claim latency), ASP.NET
/// Core and the runtime, plus job gauges read from the database every 15 seconds by one background loop rather than
/// on every scrape: jobs queued and running per queue, and per kind the mean duration of jobs finished in the last hour.
/// </summary>
public sealed class OpsTelemetry : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    private readonly JobViews _jobs;
    private readonly IDbContextFactory<AnnotateDbContext> _contexts;
    private readonly TimeProvider _clock;
    private readonly ILogger<OpsTelemetry> _log;
    private volatile IReadOnlyList<QueueView> _queues = [];
    private volatile IReadOnlyDictionary<string, double> _durations = new Dictionary<string, double>();

    public OpsTelemetry(JobViews jobs, IDbContextFactory<AnnotateDbContext> contexts, TimeProvider clock, ILogger<OpsTelemetry> log, IMeterFactory meters)
    {
        (_jobs, _contexts, _clock, _log) = (jobs, contexts, clock, log);
        var meter = meters.Create(PlatformMeter.Name);
        meter.CreateObservableGauge("annotate.jobs.queued", () => _queues.Select(q => new Measurement<long>(q.Queued, Queue(q))),
            "{job}", "Job runs waiting in each queue.");
        meter.CreateObservableGauge("annotate.jobs.running", () => _queues.Select(q => new Measurement<long>(q.Running, Queue(q))),
            "{job}", "Job runs a Worker is running, per queue.");
        meter.CreateObservableGauge("annotate.jobs.duration.mean",
            () => _durations.Select(d => new Measurement<double>(d.Value, new KeyValuePair<string, object?>("kind", d.Key))),
            "s", "Mean duration of the jobs of each kind that finished in the last hour.");
    }

    private static KeyValuePair<string, object?> Queue(QueueView queue) => new("queue", queue.Queue);

    public static IHostApplicationBuilder AddOpsTelemetry(IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<OpsTelemetry>();
        builder.Services.AddHostedService(services => services.GetRequiredService<OpsTelemetry>());
        // Named, so that a Prometheus scraping several hosts tells them apart (unnamed, it is "unknown_service:dotnet").
        builder.Services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("AnnotateAnyone.Web")).WithMetrics(metrics => metrics
            .AddMeter(PlatformMeter.Name)
            .AddAspNetCoreInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Scraping needs an ops token (Prometheus sends it as a bearer credential): the counts describe the data set.</summary>
    public static void MapMetrics(WebApplication app) =>
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Operate);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                _queues = await _jobs.QueuesAsync(stoppingToken);
                _durations = await MeanDurationsAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database being away is reported by /health; the gauges keep their last values meanwhile.
                _log.LogWarning(e, "Could not refresh the job gauges");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task<IReadOnlyDictionary<string, double>> MeanDurationsAsync(CancellationToken cancellationToken)
    {
        await using var db = await _contexts.CreateDbContextAsync(cancellationToken);
        var since = _clock.GetUtcNow().AddHours(-1);
        var finished = await db.JobRuns.AsNoTracking()
            .Where(r => r.FinishedAt > since && r.StartedAt != null && r.Status == JobRunStatus.Succeeded)
            .Select(r => new { r.Kind, r.StartedAt, r.FinishedAt }).ToListAsync(cancellationToken);
        return finished.GroupBy(r => r.Kind.ToString()).ToDictionary(g => g.Key, g => g.Average(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalSeconds));
    }
}

using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Storage;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Web.Health;

/// <summary>GET /health: PostgreSQL, object storage and Hangfire, each with its own status, as JSON.</summary>
public static class PlatformHealth
{
    public static IHostApplicationBuilder AddPlatformHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck<PostgresCheck>("postgres", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<StorageCheck>("storage", timeout: TimeSpan.FromSeconds(5))
            .AddCheck<HangfireCheck>("hangfire", timeout: TimeSpan.FromSeconds(5));
        return builder;
    }

    public static IEndpointRouteBuilder MapPlatformHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = WriteJsonAsync }).AllowAnonymous();
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description ?? e.Value.Exception?.Message,
                data = e.Value.Data,
            }),
        });
    }

    private sealed class PostgresCheck(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(cancellationToken);
                return HealthCheckResult.Healthy("PostgreSQL answers.");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {e.Message}");
            }
        }
    }

    private sealed class StorageCheck(IObjectStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                await store.CheckAsync(cancellationToken);
                return HealthCheckResult.Healthy($"The {store.Location} is writable.");
            }
            catch (StorageUnavailableException e)
            {
                return HealthCheckResult.Unhealthy(e.Message);
            }
        }
    }

    /// <summary>Unhealthy when Hangfire's storage cannot be read; degraded when no Worker serves a queue.</summary>
    private sealed class HangfireCheck(JobStorage storage, IOptions<JobsOptions> jobs) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                var monitoring = storage.GetMonitoringApi();
                var cutoff = DateTime.UtcNow - jobs.Value.WorkerDeadAfter;
                var servers = monitoring.Servers().Where(s => s.Heartbeat is { } beat && beat > cutoff).ToList();
                var served = servers.SelectMany(s => s.Queues).ToHashSet();
                var data = new Dictionary<string, object>
                {
                    ["servers"] = servers.Count,
                    ["enqueued"] = monitoring.GetStatistics().Enqueued,
                    ["unservedQueues"] = JobQueues.All.Where(q => !served.Contains(q)).ToArray(),
                };
                return Task.FromResult(servers.Count == 0
                    ? HealthCheckResult.Degraded("Hangfire storage answers, but no Worker is running.", data: data)
                    : HealthCheckResult.Healthy($"{servers.Count} Hangfire server(s) running.", data));
            }
            catch (Exception e)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy($"Hangfire storage does not answer: {e.Message}"));
            }
        }
    }
}

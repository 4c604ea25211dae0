using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Model.Compute;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Worker.Hosting;

public static class WorkerHostExtensions
{
    /// <summary>
    /// Makes this process a Worker: detects its compute device, registers it with a heartbeat, listens for new
    /// jobs, and starts Hangfire servers for its queues: one for the CPU queues with <see cref="WorkerOptions.Concurrency"/>
    /// threads, and one single-threaded server for the gpu queue (torch's seed is process-wide).
    /// </summary>
    public static IHostApplicationBuilder AddWorkerHost(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(_ => ComputeDevice.Detect());
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddHostedService<WorkerRegistration>();
        builder.Services.AddHostedService<JobNotificationListener>();

        var queues = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.ServedQueues ?? JobQueues.All;
        var cpuQueues = queues.Where(q => q != JobQueues.Gpu).ToArray();
        if (cpuQueues.Length > 0)
            builder.Services.AddHangfireServer((services, server) =>
                Configure(services, server, cpuQueues, services.GetRequiredService<IOptions<WorkerOptions>>().Value.Concurrency, "cpu"));
        if (queues.Contains(JobQueues.Gpu))
            builder.Services.AddHangfireServer((services, server) => Configure(services, server, [JobQueues.Gpu], 1, "gpu"));
        return builder;
    }

    private static void Configure(IServiceProvider services, BackgroundJobServerOptions server, string[] queues, int workers, string role)
    {
        server.ServerName = $"{services.GetRequiredService<WorkerIdentity>().Id}/{role}";
        server.Queues = queues;
        server.WorkerCount = workers;
    }
}

using AnnotateAnyone.Data.Persistence;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Data.Jobs;

public static class JobStorageExtensions
{
    /// <summary>
    /// Hangfire on the platform's PostgreSQL (schema "hangfire"), shared by Web (client) and Worker (servers).
    /// Long polling (LISTEN/NOTIFY) must be on in both: it brings enqueue-to-start from seconds to milliseconds.
    /// </summary>
    public static IHostApplicationBuilder AddJobStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = DataServiceExtensions.ReadConnectionString(builder.Configuration);
        builder.Services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // Hangfire's defaults hand every host in a process the storage and activator of whichever host configured
        // Hangfire last (JobStorage.Current and JobActivator.Current are static): a host's jobs would then go to
        // another host's database. Each host builds its own instead.
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            var jobs = services.GetRequiredService<IOptions<JobsOptions>>().Value;
            var options = new PostgreSqlStorageOptions
            {
                EnableLongPolling = true,
                InvisibilityTimeout = jobs.InvisibilityTimeout,
                QueuePollInterval = jobs.QueuePollInterval,
                UseSlidingInvisibilityTimeout = true,
                PrepareSchemaIfNecessary = true,
            };
            var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
            WakeableJobQueues.ServeQueuesOf(storage, options);
            return storage;
        });
        builder.Services.AddSingleton(services =>
            ((PostgreSqlStorage)services.GetRequiredService<JobStorage>()).QueueProviders.OfType<WakeableJobQueues>().Single());
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire((services, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostLogProvider(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddSingleton<JobScheduler>();
        // Services that start jobs live with the scheduler they need.
        builder.Services.AddSingleton<Ingest.IngestLauncher>();
        builder.Services.AddSingleton<Rounds.RoundService>();
        builder.Services.AddSingleton<ModelRegistry.CaptionerRegistry>();
        builder.Services.AddSingleton<ModelRegistry.VerifiedImages>();
        builder.Services.AddSingleton<Releases.ReleaseRows>();
        builder.Services.AddSingleton<Releases.ReleaseService>();
        builder.Services.AddSingleton<Daring.DaringLauncher>();
        builder.Services.AddSingleton<Releases.ReleaseAccuracy>();
        builder.Services.AddSingleton<Releases.ReleaseVerifier>();
        builder.Services.AddSingleton<Releases.ImportedLabelWriter>();
        return builder;
    }
}

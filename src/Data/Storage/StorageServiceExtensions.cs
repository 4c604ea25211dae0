using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Data.Storage;

public static class StorageServiceExtensions
{
    /// <summary>Registers the configured <see cref="IObjectStore"/> and checks it at start-up.</summary>
    public static IHostApplicationBuilder AddObjectStorage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<StorageOptions>()
            .Bind(builder.Configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<IObjectStore>(services =>
        {
            var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
            return options.Kind switch
            {
                StorageKind.S3 => new S3ObjectStore(S3ObjectStore.CreateClient(options.S3), options.S3),
                _ => new FileSystemObjectStore(options.Path!),
            };
        });
        builder.Services.AddHostedService<StorageStartupCheck>();
        return builder;
    }
}

/// <summary>Refuses to start a host whose store is unreachable, missing its bucket, or not writable.</summary>
internal sealed class StorageStartupCheck(IObjectStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.CheckAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

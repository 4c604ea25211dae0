using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.Daring;

public static class DaringExtensions
{
    /// <summary>Daring's jobs: training (with its evaluation and ablation) and generation.</summary>
    public static IHostApplicationBuilder AddDaring(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DaringOptions>()
            .Bind(builder.Configuration.GetSection(DaringOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.BlockChannels is null || o.BlockChannels.Length > 0, "Daring:BlockChannels needs at least one block.")
            .ValidateOnStart();
        builder.Services.AddSingleton<DaringStore>();
        builder.Services.AddSingleton<DaringImages>();
        builder.Services.AddTransient<IJobHandler, TrainDaringJob>();
        builder.Services.AddTransient<IJobHandler, GenerateImagesJob>();
        return builder;
    }
}

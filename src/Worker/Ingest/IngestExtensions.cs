using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest.Sources;
using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.Ingest;

public static class IngestExtensions
{
    public static IHostApplicationBuilder AddIngest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ImageInspector>();
        builder.Services.AddSingleton<CandidateSources>();
        builder.Services.AddTransient<IJobHandler, IngestJob>();
        return builder;
    }
}

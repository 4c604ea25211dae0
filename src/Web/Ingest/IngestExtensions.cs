using AnnotateAnyone.Data.Ingest;

namespace AnnotateAnyone.Web.Ingest;

public static class IngestExtensions
{
    public static IHostApplicationBuilder AddIngestUploads(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .Bind(builder.Configuration.GetSection(IngestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<UploadStager>();
        builder.Services.AddSingleton<IngestQueries>();
        return builder;
    }
}

using System.Text.Json;
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
        // Sources arrive as {"kind": "folder", ...}; let "kind" come anywhere in the object.
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.AllowOutOfOrderMetadataProperties = true);
        return builder;
    }
}

using AnnotateAnyone.Web.Jobs;

namespace AnnotateAnyone.Web.Operations;

public static class OperationsExtensions
{
    /// <summary>The ops dashboard's services: job and pipeline views, alerts, and the metrics Prometheus scrapes.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<JobViews>();
        builder.Services.AddSingleton<PipelineStats>();
        builder.Services.AddSingleton<OpsAlerts>();
        builder.Services.AddOptions<AlertOptions>().Bind(builder.Configuration.GetSection(AlertOptions.Section));
        return OpsTelemetry.AddOpsTelemetry(builder);
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        OpsTelemetry.MapMetrics(app);
        return app;
    }
}

using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Worker.SelfTest;

namespace AnnotateAnyone.Worker.Running;

public static class JobHandlerExtensions
{
    /// <summary>The job runner Hangfire activates, and one handler per job kind this Worker can run.</summary>
    public static IHostApplicationBuilder AddJobHandlers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<IJobRunner, JobRunner>();
        builder.Services.AddTransient<IJobHandler, SelfTestJob>();
        return builder;
    }
}

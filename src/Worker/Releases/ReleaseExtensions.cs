using AnnotateAnyone.Worker.Running;

namespace AnnotateAnyone.Worker.Releases;

public static class ReleaseExtensions
{
    /// <summary>Release builds, comparisons, verifications and label imports (the default queue).</summary>
    public static IHostApplicationBuilder AddReleases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ReleaseBuilder>();
        builder.Services.AddTransient<IJobHandler, BuildReleaseJob>();
        builder.Services.AddTransient<IJobHandler, DiffReleasesJob>();
        builder.Services.AddTransient<IJobHandler, VerifyReleaseJob>();
        builder.Services.AddTransient<IJobHandler, ImportLabelsJob>();
        return builder;
    }
}

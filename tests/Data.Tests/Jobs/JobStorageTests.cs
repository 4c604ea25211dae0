using AnnotateAnyone.Data.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AnnotateAnyone.Data.Tests.Jobs;

public sealed class JobStorageTests : IAsyncLifetime
{
    private readonly TestDatabase _first = new();
    private readonly TestDatabase _second = new();

    public async Task InitializeAsync()
    {
        await _first.InitializeAsync();
        await _second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    /// <summary>
    /// Hosts in one process (the hosts of a test run) configure Hangfire one after the other; Hangfire's own
    /// defaults give each the storage of whichever was configured last, so one host's jobs went to another's database.
    /// </summary>
    [Fact]
    public async Task Two_hosts_in_one_process_keep_their_jobs_in_their_own_databases()
    {
        using var first = Host(_first);
        using var second = Host(_second);
        first.Services.GetRequiredService<IGlobalConfiguration>();
        second.Services.GetRequiredService<IGlobalConfiguration>();

        Enqueue(first, 1);
        Enqueue(first, 2);
        Enqueue(second, 3);

        Assert.Equal(2, await _first.ScalarAsync("SELECT count(*) FROM hangfire.job"));
        Assert.Equal(1, await _second.ScalarAsync("SELECT count(*) FROM hangfire.job"));
    }

    /// <summary>
    /// Hangfire logs through the logger factory of the host configured last; once that host has stopped, its disposed
    /// factory threw from Hangfire's static initialisers and no host in the process could enqueue again.
    /// </summary>
    [Fact]
    public async Task A_host_still_enqueues_after_another_host_in_the_process_has_stopped()
    {
        using var first = Host(_first);
        first.Services.GetRequiredService<IGlobalConfiguration>();
        using (var second = Host(_second))
            second.Services.GetRequiredService<IGlobalConfiguration>();

        Enqueue(first, 1);

        Assert.Equal(1, await _first.ScalarAsync("SELECT count(*) FROM hangfire.job"));
    }

    private static IHost Host(TestDatabase database)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Annotate"] = database.ConnectionString;
        builder.AddJobStorage();
        return builder.Build();
    }

    private static void Enqueue(IHost host, long jobRunId) =>
        host.Services.GetRequiredService<IBackgroundJobClient>()
            .Create<IJobRunner>(runner => runner.RunAsync(jobRunId, CancellationToken.None), new EnqueuedState(JobQueues.Default));
}

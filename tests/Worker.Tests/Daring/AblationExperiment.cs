using System.Text.Json;
using AnnotateAnyone.Data.Daring;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Worker.Daring;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using AnnotateAnyone.Worker.Tests.Releases;
using AnnotateAnyone.Worker.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace AnnotateAnyone.Worker.Tests.Daring;

public sealed class AblationExperiment(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ReleaseHarness _harness = new();
    public Task InitializeAsync() => _harness.InitializeAsync();
    public Task DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Experiment()
    {
        await _harness.AddPeopleAsync(200, seed: 11);
        var release = await _harness.BuildAsync((await _harness.DefineAsync("Exp", "1.0")).Id);
        var worker = new WorkerIdentity(ComputeDevice.Detect());
        JobRun run;
        await using (var db = await _harness.Database.Contexts.CreateDbContextAsync())
        {
            run = new JobRun { Kind = JobKind.TrainDaring, Queue = "gpu", Parameters = JsonSerializer.SerializeToDocument(new TrainDaringParameters(ReleaseId: release.Id, Steps: int.Parse(Environment.GetEnvironmentVariable("EXP_STEPS") ?? "300"), BatchSize: 8, Resolution: int.Parse(Environment.GetEnvironmentVariable("EXP_RES") ?? "32"), Ablation: true, LearningRate: 1e-3), JobScheduler.ParameterJson) };
            db.JobRuns.Add(run);
            await db.SaveChangesAsync();
        }
        var job = new TrainDaringJob(new DaringImages(_harness.Database.Contexts, _harness.DataSource, _harness.Store, _harness.Database.Taxonomy()),
            new DaringStore(_harness.Store, worker), new CaptionerStore(_harness.Store, _harness.Database.Contexts, worker), _harness.Store, _harness.Database.Contexts, worker,
            Options.Create(new DaringOptions { EvaluationImages = 24, EvaluationSteps = 10 }));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await job.RunAsync(new JobContext(run, _harness.Database.Contexts, TimeProvider.System), CancellationToken.None);
        output.WriteLine($"took {clock.Elapsed}");
        await using var read = await _harness.Database.Contexts.CreateDbContextAsync();
        foreach (var log in await read.JobLogs.Where(l => l.JobRunId == run.Id).OrderBy(l => l.Id).ToListAsync()) output.WriteLine(log.Message);
    }
}

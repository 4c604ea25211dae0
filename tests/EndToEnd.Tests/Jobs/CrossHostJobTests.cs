using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Jobs;

[Collection(ModelTraining.Name)]
public sealed class JobsSpreadOverWorkersTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task Jobs_enqueued_through_the_web_host_run_in_both_worker_processes()
    {
        await platform.StartWorkerAsync();
        await platform.StartWorkerAsync();

        var runs = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var response = await platform.Api.PostAsJsonAsync("/api/jobs/self-test", new { durationSeconds = 1 });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            runs.Add((await response.Content.ReadFromJsonAsync<JobSummary>())!.Id);
        }

        var finished = new List<JobSummary>();
        foreach (var id in runs)
            finished.Add(await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<JobSummary>($"/api/jobs/{id}"),
                run => run!.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(60), $"job run {id} to finish"));

        Assert.All(finished, run => Assert.Equal("Succeeded", run.Status));
        Assert.Equal(2, finished.Select(run => run.WorkerId).Distinct().Count());
    }
}

[Collection(ModelTraining.Name)]
public sealed class KilledWorkerTests(Platform platform) : IClassFixture<Platform>
{
    [Fact]
    public async Task A_job_whose_worker_is_killed_mid_job_is_finished_by_the_other_worker()
    {
        var workers = new[] { await platform.StartWorkerAsync(), await platform.StartWorkerAsync() };

        var started = await (await platform.Api.PostAsJsonAsync("/api/jobs/self-test", new { durationSeconds = 6 }))
            .Content.ReadFromJsonAsync<JobSummary>();
        var running = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<JobSummary>($"/api/jobs/{started!.Id}"),
            run => run!.Status == "Running", TimeSpan.FromSeconds(30), "the job to start");
        var victim = workers.Single(w => running.WorkerId!.Split(':')[1] == w.Id.ToString());
        victim.Kill();

        var finished = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<JobSummary>($"/api/jobs/{started!.Id}"),
            run => run!.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(60), "the other worker to finish the job");

        Assert.Equal("Succeeded", finished.Status);
        Assert.NotEqual(running.WorkerId, finished.WorkerId);
        Assert.Equal(2, finished.Attempts);
        var listed = await platform.Api.GetFromJsonAsync<List<WorkerSummary>>("/api/workers");
        Assert.False(listed!.Single(w => w.Id == running.WorkerId).IsAlive);
    }
}

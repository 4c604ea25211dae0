using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Web.Jobs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Web.Tests.Jobs;

/// <summary>The Web side of jobs; no Worker runs here, so queued jobs stay queued (EndToEnd tests run them).</summary>
public sealed class JobsApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task Starting_a_self_test_records_a_queued_run_handed_to_hangfire()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);

        var response = await ops.PostAsJsonAsync("/api/jobs/self-test", new { durationSeconds = 2, queue = "gpu" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<JobRunView>())!;
        Assert.Equal("Queued", run.Status);
        Assert.Equal("gpu", run.Queue);
        Assert.Equal(2, run.Parameters.GetProperty("durationSeconds").GetInt32());
        await using var db = await app.Database.Contexts.CreateDbContextAsync();
        Assert.NotNull((await db.JobRuns.SingleAsync(r => r.Id == run.Id)).HangfireJobId);
    }

    [Fact]
    public async Task Job_runs_are_read_a_page_at_a_time_newest_first()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        var started = new List<long>();
        for (var i = 0; i < 3; i++)
            started.Add((await (await ops.PostAsJsonAsync("/api/jobs/self-test", new { })).Content.ReadFromJsonAsync<JobRunView>())!.Id);

        var first = (await ops.GetFromJsonAsync<List<JobRunView>>("/api/jobs?kind=SelfTest&take=2"))!;
        var next = (await ops.GetFromJsonAsync<List<JobRunView>>($"/api/jobs?kind=SelfTest&take=2&before={first[^1].Id}"))!;

        Assert.Equal([started[2], started[1]], first.Select(r => r.Id));
        Assert.Equal(started[0], next[0].Id);
        Assert.True(next.All(r => r.Id < first[^1].Id));
    }

    [Fact]
    public async Task A_queued_run_is_cancelled_at_once_and_can_be_retried()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        var run = (await (await ops.PostAsJsonAsync("/api/jobs/self-test", new { })).Content.ReadFromJsonAsync<JobRunView>())!;

        Assert.Equal(HttpStatusCode.Accepted, (await ops.PostAsync($"/api/jobs/{run.Id}/cancel", null)).StatusCode);
        Assert.Equal("Cancelled", (await ops.GetFromJsonAsync<JobRunView>($"/api/jobs/{run.Id}"))!.Status);
        Assert.Equal(HttpStatusCode.Conflict, (await ops.PostAsync($"/api/jobs/{run.Id}/cancel", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await ops.PostAsync($"/api/jobs/{run.Id}/retry", null)).StatusCode);
        Assert.Equal("Queued", (await ops.GetFromJsonAsync<JobRunView>($"/api/jobs/{run.Id}"))!.Status);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("retry")]
    public async Task Cancelling_or_retrying_a_run_that_does_not_exist_is_not_found(string action)
    {
        var ops = await app.ApiClientAsync(Roles.Ops);

        var response = await ops.PostAsync($"/api/jobs/987654321/{action}", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Only_ended_runs_can_be_retried()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        var run = (await (await ops.PostAsJsonAsync("/api/jobs/self-test", new { })).Content.ReadFromJsonAsync<JobRunView>())!;

        var response = await ops.PostAsync($"/api/jobs/{run.Id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("only failed or cancelled runs can be retried", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(-1, null, "DurationSeconds must be between 0 and 3600")]
    [InlineData(1, "fast-lane", "Unknown queue 'fast-lane'")]
    public async Task A_bad_self_test_request_is_refused_with_the_reason(int duration, string? queue, string reason)
    {
        var ops = await app.ApiClientAsync(Roles.Ops);

        var response = await ops.PostAsJsonAsync("/api/jobs/self-test", new { durationSeconds = duration, queue });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_runs_are_404_naming_the_run()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        var response = await ops.GetAsync("/api/jobs/987654");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Job run 987654 does not exist.", (await response.Content.ReadFromJsonAsync<ProblemDetails>())!.Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await ops.PostAsync("/api/jobs/987654/retry", null)).StatusCode);
    }

    [Fact]
    public async Task A_worker_whose_heartbeat_went_silent_is_dead_one_that_shut_down_is_stopped_and_both_are_listed_for_a_day()
    {
        var longAgo = DateTimeOffset.UtcNow.AddHours(-1);
        await using (var db = await app.Database.Contexts.CreateDbContextAsync())
        {
            db.WorkerHosts.Add(Worker("gone:1:abc", heartbeatAt: longAgo, stoppedAt: null));
            db.WorkerHosts.Add(Worker("shut:1:abc", heartbeatAt: longAgo, stoppedAt: longAgo));
            db.WorkerHosts.Add(Worker("shut:2:abc", heartbeatAt: longAgo.AddDays(-2), stoppedAt: longAgo.AddDays(-2)));
            db.WorkerHosts.Add(Worker("gone:2:abc", heartbeatAt: longAgo.AddDays(-2), stoppedAt: null));
            await db.SaveChangesAsync();
        }
        var ops = await app.ApiClientAsync(Roles.Ops);

        var workers = (await ops.GetFromJsonAsync<List<WorkerView>>("/api/workers"))!;

        Assert.Equal("Dead", workers.Single(w => w.Id == "gone:1:abc").State);
        var stopped = workers.Single(w => w.Id == "shut:1:abc");
        Assert.Equal("Stopped", stopped.State);
        Assert.Equal(longAgo, stopped.StoppedAt!.Value, TimeSpan.FromMilliseconds(1));
        // Those last heard from over a day ago, stopped or dead, are left out.
        Assert.DoesNotContain(workers, w => w.Id is "shut:2:abc" or "gone:2:abc");
    }

    internal static WorkerHost Worker(string id, DateTimeOffset heartbeatAt, DateTimeOffset? stoppedAt) => new()
    {
        Id = id, HostName = id.Split(':')[0], DeviceName = "CPU", Queues = ["default"], Version = "1", StartedAt = heartbeatAt, HeartbeatAt = heartbeatAt, StoppedAt = stoppedAt,
    };
}

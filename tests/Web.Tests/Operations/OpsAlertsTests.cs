using System.Text.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Web.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Operations;

public sealed class AlertingWebApp : WebApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Alerts:QueueDepthLimit"] = "3",
        ["Alerts:RepeatedFailures"] = "2",
    };
}

/// <summary>What calls an operator, computed from the job table as it is, and what a Prometheus scraper reads.</summary>
public sealed class OpsAlertsTests(AlertingWebApp app) : IClassFixture<AlertingWebApp>
{
    [Fact]
    public async Task A_backed_up_queue_and_a_kind_of_job_that_keeps_failing_raise_alerts()
    {
        var now = DateTimeOffset.UtcNow;
        await using (var db = await app.Database.Contexts.CreateDbContextAsync())
        {
            for (var i = 0; i < 3; i++) db.JobRuns.Add(Run(JobKind.SelfTest, JobRunStatus.Queued, now));
            for (var i = 0; i < 2; i++) db.JobRuns.Add(Run(JobKind.GenerateImages, JobRunStatus.Failed, now));
            await db.SaveChangesAsync();
        }

        var alerts = await app.Services.GetRequiredService<OpsAlerts>().CurrentAsync(default);

        Assert.Contains(alerts, a => a.Title == "Queue default is backing up" && a.Detail == "3 jobs are waiting.");
        var failing = Assert.Single(alerts, a => a.Title == "GenerateImages jobs keep failing");
        Assert.Equal(AlertLevel.Error, failing.Level);
        Assert.StartsWith("/ops/jobs/", failing.Link);
    }

    [Fact]
    public async Task A_worker_gone_silent_raises_an_alert_and_one_that_shut_down_cleanly_or_died_days_ago_does_not()
    {
        var minutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        await using (var db = await app.Database.Contexts.CreateDbContextAsync())
        {
            db.WorkerHosts.Add(Jobs.JobsApiTests.Worker("silent:7:abc", heartbeatAt: minutesAgo, stoppedAt: null));
            db.WorkerHosts.Add(Jobs.JobsApiTests.Worker("restarted:7:abc", heartbeatAt: minutesAgo, stoppedAt: minutesAgo));
            db.WorkerHosts.Add(Jobs.JobsApiTests.Worker("longgone:7:abc", heartbeatAt: minutesAgo.AddDays(-2), stoppedAt: null));
            await db.SaveChangesAsync();
        }

        var alerts = await app.Services.GetRequiredService<OpsAlerts>().CurrentAsync(default);

        Assert.Single(alerts, a => a.Title == "Worker silent is dead");
        Assert.DoesNotContain(alerts, a => a.Title.StartsWith("Worker restarted", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, a => a.Title.StartsWith("Worker longgone", StringComparison.Ordinal)); // dead for over a day: forgotten
    }

    [Fact]
    public async Task Prometheus_reads_queue_depths_and_review_figures_with_an_ops_token()
    {
        var ops = await app.ApiClientAsync(Roles.Ops);
        // A claim, whatever it finds, is timed.
        (await (await app.ApiClientAsync(Roles.Annotator)).PostAsync("/api/review/claim", null)).EnsureSuccessStatusCode();

        var response = await ops.GetAsync("/metrics");

        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("annotate_jobs_queued", text);
        Assert.Contains("annotate_jobs_running", text);
        Assert.Contains("service_name=\"AnnotateAnyone.Web\"", text);
        // Claims take milliseconds: the buckets are of milliseconds, not of thousands of seconds.
        Assert.Matches(@"annotate_review_claim_duration_seconds_bucket\{[^}]*le=""0.005""\}", text);
    }

    private static JobRun Run(JobKind kind, JobRunStatus status, DateTimeOffset now) => new()
    {
        Kind = kind,
        Queue = "default",
        Status = status,
        Parameters = JsonDocument.Parse("{}"),
        CreatedAt = now.AddMinutes(-1),
        FinishedAt = status == JobRunStatus.Failed ? now : null,
        Error = status == JobRunStatus.Failed ? "boom" : null,
    };
}

using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AnnotateAnyone.Web.Jobs;

public sealed record JobRunView(long Id, string Kind, string Queue, string Status, float Progress, string? ProgressMessage,
    string? WorkerId, int Attempts, string? Error, JsonElement Parameters, JsonElement? Result,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static JobRunView From(JobRun r) => new(r.Id, r.Kind.ToString(), r.Queue, r.Status.ToString(), r.Progress, r.ProgressMessage,
        r.WorkerId, r.Attempts, r.Error, r.Parameters.RootElement.Clone(), r.Result?.RootElement.Clone(), r.CreatedAt, r.StartedAt, r.FinishedAt);
}

public sealed record WorkerView(string Id, string HostName, int ProcessId, string Compute, string DeviceName, long MemoryBytes,
    long? DeviceMemoryBytes, string[] Queues, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt, DateTimeOffset? StoppedAt, string State)
{
    public bool IsAlive => State == nameof(WorkerState.Alive);

    public static WorkerView From(WorkerHost w, WorkerState state) => new(w.Id, w.HostName, w.ProcessId, w.Compute.ToString(), w.DeviceName,
        w.MemoryBytes, w.DeviceMemoryBytes, w.Queues, w.StartedAt, w.HeartbeatAt, w.StoppedAt, state.ToString());
}

/// <summary>Job runs and Workers over HTTP, for Ops scripts and the dashboard.</summary>
public static class JobsApi
{
    public sealed record SelfTestRequest([Range(0, 3600)] int DurationSeconds = 0, string? Queue = null);

    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").RequireAuthorization(Policies.Operate).WithTags("Jobs");
        jobs.MapGet("/", async Task<IResult> (JobViews views, JobRunStatus? status, JobKind? kind, long? before, CancellationToken ct, int take = 50) =>
            Problems.OutsidePage(take, 500, "job runs") ?? TypedResults.Ok(await views.ListAsync(status, kind, before, take, ct)))
            .Produces<IReadOnlyList<JobRunView>>()
            .WithSummary("Job runs, newest first");
        jobs.MapGet("/{id:long}", async Task<Results<Ok<JobRunView>, ProblemHttpResult>> (long id, JobViews views, CancellationToken ct) =>
            await views.GetAsync(id, ct) is { } run ? TypedResults.Ok(run) : NoSuchRun(id))
            .WithSummary("A job run: its state, progress, answer or error");
        jobs.MapGet("/{id:long}/logs", async Task<IResult> (long id, JobViews views, CancellationToken ct, long after = 0) =>
            await views.ExistsAsync(id, ct) ? TypedResults.Ok(await views.LogsAsync(id, after, ct)) : NoSuchRun(id))
            .Produces<IReadOnlyList<JobLogView>>()
            .WithSummary("A job run's log lines after a given one");
        jobs.MapGet("/{id:long}/metrics", async Task<IResult> (long id, JobViews views, CancellationToken ct) =>
            await views.ExistsAsync(id, ct)
                ? TypedResults.Ok((await views.CurvesAsync(id, ct)).ToDictionary(c => c.Name, c => c.Points.Select(p => new { p.Step, p.Value })))
                : NoSuchRun(id))
            .WithSummary("A job run's training curves");
        app.MapGet("/api/queues", async (JobViews views, CancellationToken ct) => TypedResults.Ok(await views.QueuesAsync(ct)))
            .RequireAuthorization(Policies.Operate).WithTags("Jobs")
            .WithSummary("The job queues and what waits in them");
        jobs.MapPost("/self-test", StartSelfTestAsync).WithSummary("Run a Worker self-test on a queue");
        jobs.MapPost("/{id:long}/cancel", CancelAsync).WithSummary("Stop a queued or running job run");
        jobs.MapPost("/{id:long}/retry", RetryAsync).WithSummary("Run a failed or cancelled job run again");

        app.MapGet("/api/workers", async (JobViews views, CancellationToken ct) => TypedResults.Ok(await views.WorkersAsync(ct)))
            .RequireAuthorization(Policies.Operate).WithTags("Jobs")
            .WithSummary("Worker hosts: device, queues, heartbeat and state");
        return app;
    }

    private static async Task<Results<Accepted<JobRunView>, ProblemHttpResult>> StartSelfTestAsync(
        SelfTestRequest request, JobScheduler scheduler, ClaimsPrincipal me, CancellationToken ct)
    {
        if (request.DurationSeconds is < 0 or > 3600)
            return Problems.BadRequest("DurationSeconds must be between 0 and 3600.");
        try
        {
            var run = await scheduler.EnqueueAsync(JobKind.SelfTest, new SelfTestParameters(request.DurationSeconds), me.UserId(), request.Queue, ct);
            return TypedResults.Accepted($"/api/jobs/{run.Id}", JobRunView.From(run));
        }
        catch (ArgumentException e)
        {
            return Problems.BadRequest(e.Message);
        }
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> CancelAsync(long id, JobScheduler scheduler, CancellationToken ct)
    {
        try
        {
            return await scheduler.RequestCancelAsync(id, ct) ? TypedResults.Accepted($"/api/jobs/{id}") : Problems.Conflict($"Job run {id} has already ended.");
        }
        catch (KeyNotFoundException)
        {
            return NoSuchRun(id);
        }
    }

    private static async Task<Results<Accepted<JobRunView>, ProblemHttpResult>> RetryAsync(long id, JobScheduler scheduler, CancellationToken ct)
    {
        try
        {
            var run = await scheduler.RetryAsync(id, ct);
            return TypedResults.Accepted($"/api/jobs/{id}", JobRunView.From(run));
        }
        catch (KeyNotFoundException)
        {
            return NoSuchRun(id);
        }
        catch (InvalidOperationException e)
        {
            return Problems.Conflict(e.Message);
        }
    }

    private static ProblemHttpResult NoSuchRun(long id) => Problems.NotFound($"Job run {id} does not exist.");
}

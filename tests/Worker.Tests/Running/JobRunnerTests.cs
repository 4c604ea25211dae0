using System.Text.Json;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Model.Compute;
using AnnotateAnyone.Worker.Hosting;
using AnnotateAnyone.Worker.Running;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace AnnotateAnyone.Worker.Tests.Running;

/// <summary>How the Worker records the life of a job run, whatever the handler does.</summary>
public sealed class JobRunnerTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private readonly WorkerIdentity _worker = new(new ComputeDevice(false, "test CPU", 1 << 30, null));

    [Fact]
    public async Task A_successful_run_records_its_worker_result_and_full_progress()
    {
        var id = await QueueAsync();

        await Runner(new Handler((context, _) => Task.FromResult<object?>(new { Answer = 42 }))).RunAsync(id, CancellationToken.None);

        var run = await LoadAsync(id);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal(_worker.Id, run.WorkerId);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(1f, run.Progress);
        Assert.Equal(42, run.Result!.RootElement.GetProperty("answer").GetInt32());
        Assert.NotNull(run.FinishedAt);
    }

    [Fact]
    public async Task Text_holding_nul_is_recorded_with_a_replacement_character_and_the_run_still_ends()
    {
        // A report quoting a value from an imported file, say: PostgreSQL's jsonb and text cannot hold U+0000.
        var succeeded = await QueueAsync();
        var failed = await QueueAsync();

        await Runner(new Handler(async (context, ct) =>
        {
            await context.ReportProgressAsync(0.5f, "reading 'a\0b'", ct);
            await context.LogAsync("warning", "unknown value 'a\0b'", ct);
            return new { Unknown = "a\0b" };
        })).RunAsync(succeeded, CancellationToken.None);
        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Runner(new Handler((_, _) => throw new InvalidDataException("unknown value 'a\0b'"))).RunAsync(failed, CancellationToken.None));

        var run = await LoadAsync(succeeded);
        Assert.Equal(JobRunStatus.Succeeded, run.Status);
        Assert.Equal("a\uFFFDb", run.Result!.RootElement.GetProperty("unknown").GetString());
        Assert.Equal("reading 'a\uFFFDb'", run.ProgressMessage);
        await using (var db = await database.Contexts.CreateDbContextAsync())
            Assert.Equal("unknown value 'a\uFFFDb'", (await db.JobLogs.SingleAsync(l => l.JobRunId == succeeded)).Message);
        Assert.Equal(JobRunStatus.Failed, (await LoadAsync(failed)).Status);
        Assert.Equal("unknown value 'a\uFFFDb'", (await LoadAsync(failed)).Error);
    }

    [Fact]
    public async Task A_failing_handler_leaves_a_failed_run_with_its_error()
    {
        var id = await QueueAsync();

        await Assert.ThrowsAsync<InvalidDataException>(() =>
            Runner(new Handler((_, _) => throw new InvalidDataException("image 7 is truncated"))).RunAsync(id, CancellationToken.None));

        var run = await LoadAsync(id);
        Assert.Equal(JobRunStatus.Failed, run.Status);
        Assert.Equal("image 7 is truncated", run.Error);
    }

    [Fact]
    public async Task An_unexpected_failure_keeps_its_type_beside_its_message()
    {
        var id = await QueueAsync();

        await Assert.ThrowsAsync<IOException>(() =>
            Runner(new Handler((_, _) => throw new IOException("Input/output error"))).RunAsync(id, CancellationToken.None));

        Assert.Equal("IOException: Input/output error", (await LoadAsync(id)).Error);
    }

    [Fact]
    public async Task A_run_cancelled_by_an_operator_ends_as_cancelled()
    {
        var id = await QueueAsync();
        using var hangfireToken = new CancellationTokenSource();

        await Runner(new Handler(async (context, token) =>
        {
            await using (var db = await database.Contexts.CreateDbContextAsync())
                await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequestedAt, DateTimeOffset.UtcNow));
            await hangfireToken.CancelAsync();
            token.ThrowIfCancellationRequested();
            return null;
        })).RunAsync(id, hangfireToken.Token);

        Assert.Equal(JobRunStatus.Cancelled, (await LoadAsync(id)).Status);
    }

    [Fact]
    public async Task A_run_interrupted_by_worker_shutdown_goes_back_to_the_queue()
    {
        var id = await QueueAsync();
        using var shutdown = new CancellationTokenSource();

        await Assert.ThrowsAsync<OperationCanceledException>(() => Runner(new Handler(async (_, token) =>
        {
            await shutdown.CancelAsync();
            token.ThrowIfCancellationRequested();
            return null;
        })).RunAsync(id, shutdown.Token));

        Assert.Equal(JobRunStatus.Queued, (await LoadAsync(id)).Status);
    }

    /// <summary>What a run drives (a round, a release) is marked failed only when the run ends: a shutdown sends it back to the queue.</summary>
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task A_handler_learns_that_a_shutdown_does_not_end_its_run_and_an_operators_cancel_does(bool cancelRequested, bool expected)
    {
        var id = await QueueAsync();
        using var token = new CancellationTokenSource();
        var ends = (bool?)null;
        var runner = Runner(new Handler(async (context, cancellation) =>
        {
            if (cancelRequested)
                await using (var db = await database.Contexts.CreateDbContextAsync())
                    await db.JobRuns.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.CancelRequestedAt, DateTimeOffset.UtcNow));
            await token.CancelAsync();
            var stopped = new OperationCanceledException(cancellation);
            ends = await context.EndsTheRunAsync(stopped, cancellation);
            throw stopped;
        }));

        try
        {
            await runner.RunAsync(id, token.Token);
        }
        catch (OperationCanceledException)
        {
            // A shutdown: the run goes back to the queue (the test above).
        }

        Assert.Equal(expected, ends);
    }

    [Fact]
    public async Task A_handler_failing_on_its_own_ends_its_run()
    {
        var id = await QueueAsync();
        var ends = (bool?)null;

        await Assert.ThrowsAsync<IOException>(() => Runner(new Handler(async (context, token) =>
        {
            var failure = new IOException("disk full");
            ends = await context.EndsTheRunAsync(failure, token);
            throw failure;
        })).RunAsync(id, CancellationToken.None));

        Assert.True(ends);
    }

    [Fact]
    public async Task A_run_no_handler_knows_fails_with_a_clear_error()
    {
        var id = await QueueAsync(JobKind.TrainDaring);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Runner(new Handler((_, _) => Task.FromResult<object?>(null))).RunAsync(id, CancellationToken.None));

        Assert.Equal("This Worker has no handler for TrainDaring jobs.", (await LoadAsync(id)).Error);
    }

    [Fact]
    public async Task A_run_already_finished_is_not_run_again()
    {
        var id = await QueueAsync();
        var calls = 0;
        var runner = Runner(new Handler((_, _) => { calls++; return Task.FromResult<object?>(null); }));

        await runner.RunAsync(id, CancellationToken.None);
        await runner.RunAsync(id, CancellationToken.None);

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Curves_recorded_twice_for_a_step_keep_the_latest_value()
    {
        var id = await QueueAsync();

        await Runner(new Handler(async (context, token) =>
        {
            await context.RecordMetricsAsync(1, new Dictionary<string, double> { ["loss"] = 2.0 }, token);
            await context.RecordMetricsAsync(1, new Dictionary<string, double> { ["loss"] = 1.5, ["accuracy"] = 0.25 }, token);
            return null;
        })).RunAsync(id, CancellationToken.None);

        await using var db = await database.Contexts.CreateDbContextAsync();
        var metrics = await db.JobMetrics.Where(m => m.JobRunId == id).OrderBy(m => m.Name).ToListAsync();
        Assert.Equal([("accuracy", 0.25), ("loss", 1.5)], metrics.Select(m => (m.Name, m.Value)));
    }

    private JobRunner Runner(IJobHandler handler) =>
        new(database.Contexts, [handler], _worker, TimeProvider.System, NullLogger<JobRunner>.Instance);

    private async Task<long> QueueAsync(JobKind kind = JobKind.SelfTest)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var run = new JobRun { Kind = kind, Queue = JobQueues.Default, Parameters = JsonDocument.Parse("{}") };
        db.JobRuns.Add(run);
        await db.SaveChangesAsync();
        return run.Id;
    }

    private async Task<JobRun> LoadAsync(long id)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.JobRuns.AsNoTracking().SingleAsync(r => r.Id == id);
    }

    private sealed class Handler(Func<JobContext, CancellationToken, Task<object?>> run) : IJobHandler
    {
        public JobKind Kind => JobKind.SelfTest;

        public Task<object?> RunAsync(JobContext context, CancellationToken cancellationToken) => run(context, cancellationToken);
    }
}

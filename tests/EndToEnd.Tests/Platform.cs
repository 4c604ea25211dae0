using System.Net;
using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests;

/// <summary>
/// The platform as docker-compose deploys it, on this machine: the Web host and any number of Worker hosts,
/// each a separate process from its build output, sharing one PostgreSQL database and one S3 bucket.
/// Timeouts are shortened so that dead Workers are noticed in seconds rather than minutes.
/// </summary>
public class Platform : IAsyncLifetime
{
    public const string AdminEmail = "ops-admin@example.org";
    public const string AdminPassword = "end to end password";

    private readonly TestDatabase _database = new();
    private readonly List<HostProcess> _workers = [];
    private HostProcess? _web;

    public Uri Address { get; } = new($"http://127.0.0.1:{TestEnvironment.FreePort()}");

    public HttpClient Api { get; private set; } = null!;

    public TestDatabase Database => _database;

    public IReadOnlyList<HostProcess> Workers => _workers;

    /// <summary>The end of what the Web host has printed so far, for a failing test to say what the server saw.</summary>
    public string WebOutputEnd(int characters) => _web?.OutputEnd(characters) ?? "";

    public virtual async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await RunCommandAsync("create-user", "--email", AdminEmail, "--password", AdminPassword, "--role", "Admin");
        var token = (await RunCommandAsync("create-token", "--email", AdminEmail, "--name", "end-to-end")).Trim().Split('\n').Last();

        _web = HostProcess.Start("Web", Environment);
        Api = new HttpClient { BaseAddress = Address };
        Api.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await Eventually.WaitForAsync(async () =>
        {
            try { return (await Api.GetAsync("/health")).StatusCode; }
            catch (HttpRequestException) { return (HttpStatusCode?)null; }
        }, status => status == HttpStatusCode.OK || _web.HasExited, TimeSpan.FromSeconds(60), "the Web host to answer /health");
        Assert.False(_web.HasExited, _web.Output);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var worker in _workers) await worker.DisposeAsync();
        if (_web is not null) await _web.DisposeAsync();
        await _database.DisposeAsync();
    }

    /// <summary>Starts a Worker process and waits until it has registered with a heartbeat.</summary>
    public async Task<HostProcess> StartWorkerAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var environment = Environment;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) environment[key] = value;
        var worker = HostProcess.Start("Worker", environment);
        _workers.Add(worker);
        await Eventually.WaitForAsync(() => Api.GetFromJsonAsync<List<WorkerSummary>>("/api/workers"),
            list => list!.Any(w => w.IsAlive && w.Id.Split(':')[1] == worker.Id.ToString()) || worker.HasExited,
            TimeSpan.FromSeconds(60), "the Worker to register");
        Assert.False(worker.HasExited, worker.Output);
        return worker;
    }

    public Dictionary<string, string> Environment => new()
    {
        ["ConnectionStrings__Annotate"] = _database.ConnectionString,
        ["Urls"] = Address.ToString(),
        ["Storage__Kind"] = "S3",
        ["Storage__S3__Endpoint"] = TestEnvironment.S3Endpoint,
        ["Storage__S3__AccessKey"] = TestEnvironment.S3AccessKey,
        ["Storage__S3__SecretKey"] = TestEnvironment.S3SecretKey,
        ["Storage__S3__Bucket"] = _database.Name.Replace('_', '-'),
        ["Storage__S3__CreateBucket"] = "true",
        ["Jobs__InvisibilityTimeout"] = "00:00:05",
        ["Jobs__QueuePollInterval"] = "00:00:00.500",
        ["Jobs__WorkerDeadAfter"] = "00:00:03",
        ["Worker__HeartbeatInterval"] = "00:00:01",
        ["Worker__Concurrency"] = "1",
        ["Routing__RerouteCheckInterval"] = "00:00:01",
        ["Ingest__MaxFileBytes"] = MaxFileBytes.ToString(),
        // A captioner small enough to train in seconds on a test machine.
        ["Captioner__ImageSize"] = "32",
        ["Captioner__Widths__0"] = "8",
        ["Captioner__Widths__1"] = "8",
        ["Captioner__Widths__2"] = "16",
        ["Captioner__Widths__3"] = "16",
        ["Captioner__Epochs"] = "3",
        ["Captioner__BatchSize"] = "8",
        ["Captioner__Threads"] = "1",
    };

    /// <summary>Small, so the hostile folder's "huge" file stays cheap to send.</summary>
    public const long MaxFileBytes = 2 * 1024 * 1024;

    /// <summary>Ingests generated people (with their ground truth) through the API and waits for the run.</summary>
    public async Task<IngestRunSummary> IngestSyntheticAsync(int count, int seed)
    {
        var response = await Api.PostAsJsonAsync("/api/ingest/runs", new { kind = "synthetic", count, seed, width = 256, height = 256 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await WaitForIngestAsync((await response.Content.ReadFromJsonAsync<IngestRunSummary>())!.Id);
        Assert.Equal("Succeeded", run.Status);
        Assert.Equal(count, run.Accepted + run.NearDuplicates);
        return run;
    }

    public async Task<IngestRunSummary> WaitForIngestAsync(long runId) =>
        await Eventually.WaitForAsync(() => Api.GetFromJsonAsync<IngestRunSummary>($"/api/ingest/runs/{runId}"),
            run => run!.Status is "Succeeded" or "Failed" or "Cancelled", TimeSpan.FromSeconds(90), $"ingest run {runId} to finish");

    /// <summary>A user with one role and the shared test password, created with the Web host's command line.</summary>
    public Task CreateUserAsync(string email, string role) =>
        RunCommandAsync("create-user", "--email", email, "--password", AdminPassword, "--role", role);

    private async Task<string> RunCommandAsync(params string[] arguments)
    {
        var (exitCode, output) = await HostProcess.RunAsync("Web", Environment, TimeSpan.FromMinutes(1), arguments);
        Assert.True(exitCode == 0, output);
        return output;
    }
}

public sealed record WorkerSummary(string Id, bool IsAlive, string DeviceName, string Compute, string[] Queues);

public sealed record JobSummary(long Id, string Status, string? WorkerId, int Attempts, string? Error);

public sealed record IngestRunSummary(long Id, string Status, string? Error, int Total, int Processed, int Accepted, int Rejected, int Duplicates, int NearDuplicates);

public sealed record IngestItemSummary(long Id, int Ordinal, string Name, string Outcome, string? Reason, string? Detail, bool Downloadable);

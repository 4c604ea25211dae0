using System.Net.Http.Json;

namespace AnnotateAnyone.EndToEnd.Tests.Rounds;

public sealed record TrainingJobSummary(long Id, string Status, float Progress, string? WorkerId, int Attempts, string? Error);

/// <summary>A training job's Worker killed mid-run, and a second Worker that must finish it from the last checkpoint.</summary>
public static class KilledWorker
{
    /// <summary>
    /// Waits until job <paramref name="id"/> has made <paramref name="killAt"/> of its progress (so checkpoints exist),
    /// kills <paramref name="first"/>, starts another Worker with the same settings and waits for the job to end. Asserts
    /// what every resumed run shares: it succeeded on its second attempt, on the other Worker, resuming exactly once.
    /// </summary>
    public static async Task<(TrainingJobSummary Running, TrainingJobSummary Finished)> KillAndFinishAsync(
        Platform platform, HostProcess first, long id, float killAt, IReadOnlyDictionary<string, string> settings)
    {
        var running = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Progress >= killAt || job.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(120), "training to pass its first checkpoints");
        Assert.True(running!.Status == "Running", running.Error);
        first.Kill();
        await platform.StartWorkerAsync(settings);

        var finished = await Eventually.WaitForAsync(() => platform.Api.GetFromJsonAsync<TrainingJobSummary>($"/api/jobs/{id}"),
            job => job!.Status is "Succeeded" or "Failed", TimeSpan.FromSeconds(300), "the second worker to finish the training");

        Assert.True(finished!.Status == "Succeeded", finished.Error);
        Assert.Equal(2, finished.Attempts);
        Assert.NotEqual(running.WorkerId, finished.WorkerId);
        await using var resumed = platform.Database.DataSource.CreateCommand(
            $"SELECT count(*) FROM job_logs WHERE job_run_id = {id} AND message LIKE 'Resuming from the last checkpoint%'");
        Assert.Equal(1L, await resumed.ExecuteScalarAsync());
        return (running, finished);
    }
}

using System.Diagnostics;

namespace AnnotateAnyone.EndToEnd.Tests.Deployment;

/// <summary>No container engine runs here, so docker-compose validates the file (it needs no engine for that).</summary>
public sealed class ComposeFileTests
{
    [Fact]
    public async Task The_compose_file_is_valid_and_deploys_every_part()
    {
        var (exitCode, output) = await ComposeAsync("--profile", "gpu", "config", "--services");

        Assert.True(exitCode == 0, output);
        Assert.Equal(["postgres", "minio", "migrate", "web", "worker", "worker-gpu"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Every_host_gets_the_settings_the_hosts_read()
    {
        var (exitCode, config) = await ComposeAsync("--profile", "gpu", "config");

        Assert.True(exitCode == 0, config);
        foreach (var setting in new[] { "ConnectionStrings__Annotate", "Storage__Kind: S3", "Storage__S3__Endpoint", "Storage__S3__Bucket" })
            Assert.Contains(setting, config);
        Assert.Contains("TORCH_BACKEND: cuda", config);
        Assert.Contains("Worker__Queues__0: gpu", config);
        Assert.Contains("- migrate", config);
    }

    private static async Task<(int, string)> ComposeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add("docker-compose.yml");
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output + errors);
    }
}

using System.Text.Json;

namespace AnnotateAnyone.Worker.Tests.Hosting;

/// <summary>
/// Runs the Worker's own build output, where TorchSharp's native library is loaded from. On Debian 12 this
/// fails unless the build patched libLibTorchSharp.so (see build/WeakenElfVersionNeeds.cs).
/// </summary>
public sealed class SelfTestCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_worker_build_output_loads_TorchSharp_and_multiplies_matrices()
    {
        var (exitCode, output) = await HostProcess.RunAsync("Worker", new Dictionary<string, string>(), TimeSpan.FromMinutes(2), "self-test");

        Assert.True(exitCode == 0, output);
        var result = JsonDocument.Parse(output.Trim().Split('\n').Last()).RootElement;
        Assert.False(result.GetProperty("IsCuda").GetBoolean());
        var checksum = result.GetProperty("Checksum").GetDouble();
        // The product of two seeded 256x256 uniform matrices sums to about 256^3 / 4.
        Assert.InRange(checksum, 0.9 * 256 * 256 * 64, 1.1 * 256 * 256 * 64);
    }

    [Fact]
    public async Task A_worker_with_an_unknown_queue_refuses_to_start_and_names_it()
    {
        var (exitCode, output) = await StartWorkerAsync(("Worker__Queues__0", "gpuu"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Worker:Queues names 'gpuu', which is not a queue", output);
    }

    [Fact]
    public async Task A_worker_whose_captioner_settings_do_not_fit_refuses_to_start_and_says_why()
    {
        var (exitCode, output) = await StartWorkerAsync(("Captioner__ImageSize", "100"), ("Captioner__Widths__0", "16"), ("Captioner__Widths__1", "32"),
            ("Captioner__MinValidationShare", "0.4"), ("Captioner__MaxValidationShare", "0.2"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Captioner:ImageSize must be a multiple of 32", output);
        Assert.Contains("Captioner:Widths takes four positive stage widths", output);
        Assert.Contains("Captioner:MinValidationShare must not exceed Captioner:MaxValidationShare", output);
    }

    [Theory]
    [InlineData("ResNet18", "With Captioner:Backbone ResNet18 the last two Captioner:Widths are ResNet-18's own, 128 and 512")]
    [InlineData("ResNet50", "Failed to convert configuration value 'ResNet50' at 'Captioner:Backbone'")]
    public async Task A_worker_given_an_encoder_it_has_not_or_resnet18_with_other_widths_refuses_to_start_and_says_why(string backbone, string reason)
    {
        var (exitCode, output) = await StartWorkerAsync(("Captioner__Backbone", backbone), ("Captioner__Widths__0", "16"), ("Captioner__Widths__1", "32"),
            ("Captioner__Widths__2", "64"), ("Captioner__Widths__3", "128"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(reason, output);
    }

    [Fact]
    public async Task A_worker_told_to_route_rounds_again_never_or_without_pause_refuses_to_start_and_names_the_settings()
    {
        var (exitCode, output) = await StartWorkerAsync(("Routing__RerouteShare", "0"), ("Routing__RerouteCheckInterval", "00:00:00"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("RerouteShare", output);
        Assert.Contains("RerouteCheckInterval", output);
    }

    [Fact]
    public async Task A_mistyped_command_is_refused_instead_of_starting_the_worker()
    {
        var (exitCode, output) = await HostProcess.RunAsync("Worker", new Dictionary<string, string>(), TimeSpan.FromMinutes(1), "selftest");

        Assert.Equal(2, exitCode);
        Assert.Contains("'selftest' is not a command", output);
    }

    /// <summary>Starts the Worker against the test database and a fresh store, with the given settings on top.</summary>
    private Task<(int ExitCode, string Output)> StartWorkerAsync(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Annotate"] = database.ConnectionString,
            ["Storage__Path"] = Path.Combine(Path.GetTempPath(), $"aa-worker-{Guid.NewGuid():N}"),
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return HostProcess.RunAsync("Worker", environment, TimeSpan.FromMinutes(1));
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AnnotateAnyone.EndToEnd.Tests.Deployment;

/// <summary>The single-machine launcher, up to where it would start building (the platform tests start the hosts themselves).</summary>
public sealed class RunScriptTests
{
    [Fact]
    public async Task Run_refuses_a_port_already_in_use_before_starting_anything()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var start = new ProcessStartInfo("bash", ["run"]) { WorkingDirectory = TestEnvironment.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ANNOTATE_PORT"] = port.ToString();

        using var run = Process.Start(start)!;
        var output = await run.StandardOutput.ReadToEndAsync() + await run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"port {port} is already in use (another ./run?)", output);
        Assert.DoesNotContain("PostgreSQL on", output);
    }
}

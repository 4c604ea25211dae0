using System.Diagnostics;
using System.Text;

namespace AnnotateAnyone.TestSupport;

/// <summary>
/// A Web or Worker host started from its build output as a separate process, the way a deployment runs it.
/// Output is captured so a failing test can show what the host said.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The last characters the host printed: where a failure's cause usually is, short enough for a test message.</summary>
    public string OutputEnd(int characters)
    {
        var output = Output;
        return output[Math.Max(0, output.Length - characters)..];
    }

    public bool HasExited => _process.HasExited;

    public static HostProcess Start(string host, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(TestEnvironment.HostAssembly(host))!,
        };
        start.ArgumentList.Add(TestEnvironment.HostAssembly(host));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}."));
    }

    /// <summary>Runs a host command to completion (for example `migrate` or `create-token`).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string host, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, params string[] arguments)
    {
        await using var process = Start(host, environment, arguments);
        var exit = await process.WaitForExitAsync(timeout);
        return (exit, process.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host did not exit within {timeout}. It said:\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks run, exactly like a crashed machine or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a deploy, `docker compose stop` or systemd stops a host: it shuts down in order, its running jobs cancelled.</summary>
    public void Terminate()
    {
        if (SendSignal(_process.Id, 15) != 0) throw new InvalidOperationException($"Could not send SIGTERM to process {_process.Id}.");
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}

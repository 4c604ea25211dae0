using System.Diagnostics;
using System.Text.Json;

namespace AnnotateAnyone.Bench;

/// <summary>Runs a script of bench/python with Debian's python3-torch: its input as JSON on stdin, its figures as the last JSON line of stdout.</summary>
public static class PyTorchYardstick
{
    public static JsonElement Run(BenchEnvironment environment, string script, string inputJson)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(environment.RepositoryRoot, "bench", "python", script));
        using var process = Process.Start(start)!;
        process.StandardInput.Write(inputJson);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The PyTorch yardstick failed (install python3-torch): {errors}");
        return JsonDocument.Parse(output.Trim().Split('\n').Last()).RootElement;
    }
}

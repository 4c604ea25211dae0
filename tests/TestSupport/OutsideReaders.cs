using System.Diagnostics;
using System.Text.Json;

namespace AnnotateAnyone.TestSupport;

/// <summary>Readers the platform did not write, run as their users run them: DuckDB (through its Node API) and tar.</summary>
public static class OutsideReaders
{
    /// <summary>Runs SQL in DuckDB and returns its rows (numbers beyond 32 bits and decimals come back as strings).</summary>
    public static async Task<JsonElement[]> DuckDbAsync(string sql)
    {
        var script = Path.Combine(TestEnvironment.RepositoryRoot, "tests/tools/readers/duckdb-query.js");
        var output = await RunAsync("node", [script, sql], Path.Combine(TestEnvironment.RepositoryRoot, "tests/tools"));
        return JsonSerializer.Deserialize<JsonElement[]>(output)!;
    }

    /// <summary>The entry names of a tar file, as GNU tar lists them.</summary>
    public static async Task<string[]> TarEntriesAsync(string path) =>
        (await RunAsync("tar", ["-tf", path], Path.GetDirectoryName(path)!)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task<string> RunAsync(string program, string[] arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
        return await output;
    }
}

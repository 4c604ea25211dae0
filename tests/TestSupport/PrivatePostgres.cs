using System.Diagnostics;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.TestSupport;

/// <summary>
/// A PostgreSQL cluster of a test's own, for tests that stop the database under a running host. Started with
/// the same script functions as ./test and ./run, and migrated like a real installation.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"aa-pg-{Guid.NewGuid():N}");
    private int _port;

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Database=annotate;Username=postgres;Timeout=3";

    public async Task StartAsync()
    {
        _port = TestEnvironment.FreePort();
        await ScriptAsync($"pg_start '{_directory}' {_port}");
        await using (var server = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={_port};Username=postgres;Pooling=false"))
        await using (var command = server.CreateCommand("CREATE DATABASE annotate"))
            await command.ExecuteNonQueryAsync();
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        var contexts = new DataSourceContextFactory(dataSource);
        await new DatabaseInitializer(contexts, new TaxonomyStore(contexts)).MigrateAsync();
    }

    public Task StopAsync() => ScriptAsync($"pg_stop '{_directory}'");

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static async Task ScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"source scripts/lib.sh && {command}"])
        {
            WorkingDirectory = TestEnvironment.RepositoryRoot,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"'{command}' failed: {errors}");
    }
}

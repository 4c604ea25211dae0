using System.Diagnostics;
using System.Reflection;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Npgsql;

namespace AnnotateAnyone.Bench;

/// <summary>What bench/run started: a PostgreSQL server and a scratch folder; and where the host builds are.</summary>
public sealed class BenchEnvironment(string postgresServer, string scratch, string repositoryRoot)
{
    public string Scratch { get; } = scratch;

    public string RepositoryRoot { get; } = repositoryRoot;

    public static BenchEnvironment FromEnvironment() => new(
        Environment.GetEnvironmentVariable("AA_BENCH_PG") ?? throw new InvalidOperationException("AA_BENCH_PG is not set: run benchmarks with bench/run."),
        Environment.GetEnvironmentVariable("AA_BENCH_SCRATCH") ?? Path.GetTempPath(),
        Environment.GetEnvironmentVariable("AA_REPOSITORY") ?? Directory.GetCurrentDirectory());

    /// <summary>A new, migrated database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgresServer) { Pooling = false }.ConnectionString))
        {
            await using var drop = server.CreateCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await drop.ExecuteNonQueryAsync();
            await using var create = server.CreateCommand($"CREATE DATABASE {name}");
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(postgresServer) { Database = name }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var contexts = new DataSourceContextFactory(dataSource);
        await new DatabaseInitializer(contexts, new TaxonomyStore(contexts)).MigrateAsync();
        return connectionString;
    }

    /// <summary>Starts a host (Web or Worker) from its Release build output as its own process.</summary>
    public Process StartHost(string host, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var configuration = typeof(BenchEnvironment).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var folder = Path.Combine(RepositoryRoot, "src", host, "bin", configuration, "net10.0", "linux-x64");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(folder, $"AnnotateAnyone.{host}.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

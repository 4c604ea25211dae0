using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AnnotateAnyone.Data.Persistence;

/// <summary>
/// Fails start-up with a message a person can act on when PostgreSQL is unreachable, refuses the credentials,
/// or has not been migrated to this build's schema.
/// </summary>
internal sealed class DatabaseStartupCheck(NpgsqlDataSource dataSource, IDbContextFactory<AnnotateDbContext> contexts) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var target = Describe(dataSource.ConnectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException($"Cannot connect to PostgreSQL at {target}: {e.Message}", e);
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await MigrationStatus.PendingAsync(db, cancellationToken);
        if (pending.Count > 0)
            throw new InvalidOperationException(
                $"The database at {target} is missing {pending.Count} migration(s) (first: {pending[0]}). " +
                "Run the migrate command (AnnotateAnyone.Web migrate) before starting.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Host, port and database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var parts = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{parts.Host}:{parts.Port}/{parts.Database}";
    }
}

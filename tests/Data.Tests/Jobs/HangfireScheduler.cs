using AnnotateAnyone.Data.Jobs;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace AnnotateAnyone.Data.Tests.Jobs;

public static class HangfireScheduler
{
    /// <summary>The scheduler as the hosts wire it, queueing into Hangfire's real PostgreSQL storage (no server takes the jobs).</summary>
    public static JobScheduler For(TestDatabase database)
    {
        var options = new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = true };
        var hangfire = new BackgroundJobClient(new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options));
        return new JobScheduler(database.Contexts, hangfire, TimeProvider.System);
    }
}

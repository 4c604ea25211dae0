using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace AnnotateAnyone.Migrations;

/// <summary>
/// Lets `dotnet ef migrations add` build the model without a host. Adding a migration needs no database;
/// commands that do (update, script --idempotent) read ConnectionStrings__Annotate.
/// </summary>
public sealed class DesignTimeContextFactory : IDesignTimeDbContextFactory<AnnotateDbContext>
{
    public AnnotateDbContext CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Annotate")
            ?? "Host=127.0.0.1;Port=5432;Database=annotate;Username=postgres";
        var options = new DbContextOptionsBuilder<AnnotateDbContext>();
        DataServiceExtensions.Configure(options, new NpgsqlDataSourceBuilder(connectionString).Build());
        return new AnnotateDbContext(options.Options);
    }
}

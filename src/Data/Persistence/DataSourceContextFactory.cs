using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Persistence;

/// <summary>Contexts configured exactly as the hosts configure them, over a given data source (tests, benchmarks, tools).</summary>
public sealed class DataSourceContextFactory(NpgsqlDataSource dataSource) : IDbContextFactory<AnnotateDbContext>
{
    public AnnotateDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<AnnotateDbContext>();
        DataServiceExtensions.Configure(options, dataSource);
        return new AnnotateDbContext(options.Options);
    }
}

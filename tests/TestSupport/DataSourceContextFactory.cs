using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.TestSupport;

/// <summary>Contexts configured exactly as the hosts configure them, over a test's own data source.</summary>
public sealed class DataSourceContextFactory(NpgsqlDataSource dataSource) : IDbContextFactory<AnnotateDbContext>
{
    public AnnotateDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<AnnotateDbContext>();
        DataServiceExtensions.Configure(options, dataSource);
        return new AnnotateDbContext(options.Options);
    }
}

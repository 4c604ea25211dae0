using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace AnnotateAnyone.Data.Persistence;

public static class DataServiceExtensions
{
    public const string ConnectionStringName = "Annotate";

    /// <summary>
    /// PostgreSQL for everything: one <see cref="NpgsqlDataSource"/> (bulk paths use it for binary COPY) and a
    /// pooled EF Core context factory on top of it. Refuses to start without a reachable, migrated database.
    /// </summary>
    public static IHostApplicationBuilder AddAnnotateData(this IHostApplicationBuilder builder)
    {
        var connectionString = ReadConnectionString(builder.Configuration);
        var dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddPooledDbContextFactory<AnnotateDbContext>(options => Configure(options, dataSource));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContext());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TaxonomyStore>();
        builder.Services.AddSingleton<AuditTrail>();
        builder.Services.AddSingleton<DatabaseInitializer>();
        builder.Services.AddSingleton<ImageLookup>();
        builder.Services.AddSingleton<IngestWriter>();
        builder.Services.AddOptions<ReviewOptions>()
            .Bind(builder.Configuration.GetSection(ReviewOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ReviewQueue>();
        builder.Services.AddSingleton<ReviewItems>();
        builder.Services.AddSingleton<LabelBook>();
        builder.Services.AddSingleton<ProposalImporter>();
        builder.Services.AddSingleton<GoldBook>();
        builder.Services.AddSingleton<AnnotatorStats>();
        builder.Services.AddOptions<RoutingOptions>()
            .Bind(builder.Configuration.GetSection(RoutingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RoutingService>();
        builder.Services.AddHostedService<DatabaseStartupCheck>();
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsAssembly(AnnotateDbContext.MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    /// <summary>Reads and parses ConnectionStrings:Annotate, turning a missing or malformed value into a clear error.</summary>
    public static string ReadConnectionString(IConfiguration configuration)
    {
        var value = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(value))
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set. Set it (for example the environment variable " +
                $"ConnectionStrings__{ConnectionStringName}=\"Host=127.0.0.1;Port=5432;Database=annotate;Username=annotate\").");
        try
        {
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:{ConnectionStringName} is not a valid PostgreSQL connection string: {e.Message}", e);
        }
    }
}

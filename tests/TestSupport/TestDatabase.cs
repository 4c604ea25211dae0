using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace AnnotateAnyone.TestSupport;

/// <summary>
/// A fresh, migrated and seeded database per test class, copied from a template that the first class of
/// the run migrates (PostgreSQL copies a template in a fraction of a second; migrating takes seconds).
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    /// <summary>Named after the newest migration, so a changed schema never reuses an old template.</summary>
    private static readonly string Template = TemplateName();

    public string Name { get; } = $"t_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresServer) { Database = Name }.ConnectionString;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public IDbContextFactory<AnnotateDbContext> Contexts { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await using (var server = NpgsqlDataSource.Create(Admin("postgres")))
        {
            await using var connection = await server.OpenConnectionAsync();
            // Test assemblies run in parallel processes: one of them migrates the template, the others wait.
            await Execute(connection, "SELECT pg_advisory_lock(727272)");
            try
            {
                if (!await TemplateExistsAsync(connection)) await CreateTemplateAsync(connection);
                await Execute(connection, $"CREATE DATABASE {Name} TEMPLATE {Template}");
            }
            finally
            {
                await Execute(connection, "SELECT pg_advisory_unlock(727272)");
            }
        }
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        Contexts = new DataSourceContextFactory(DataSource);
    }

    public async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var server = NpgsqlDataSource.Create(Admin("postgres"));
        await using var connection = await server.OpenConnectionAsync();
        await Execute(connection, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    public TaxonomyStore Taxonomy() => new(Contexts);

    /// <summary>A data lead adds silver to the hair colours: a new active version, in which every attribute and value has a new id.</summary>
    public async Task<TaxonomyIndex> AddSilverHairAsync()
    {
        var taxonomies = Taxonomy();
        var old = await taxonomies.GetActiveAsync();
        return new(await taxonomies.CreateVersionAsync(TaxonomyEdits.AddValue(old.ToSpec(), "hair.color", "silver", "silver"), "v2", "silver hair", "lead"));
    }

    /// <summary>The single number a query returns (a count, an id); parameters by name, as in <c>@round</c>.</summary>
    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Runs statements that return nothing (rows a test stands in for, as people's reviews); parameters as for <see cref="ScalarAsync"/>.</summary>
    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>A signed-up account, as the sign-up page makes it; its id.</summary>
    public async Task<Guid> AddUserAsync(string email)
    {
        await using var db = await Contexts.CreateDbContextAsync();
        var user = new AppUser { Id = Guid.NewGuid(), Email = email, NormalizedEmail = email.ToUpperInvariant(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), EmailConfirmed = true };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }

    private static async Task<bool> TemplateExistsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Template}'", connection);
        return await command.ExecuteScalarAsync() is not null;
    }

    private static async Task CreateTemplateAsync(NpgsqlConnection connection)
    {
        await Execute(connection, $"CREATE DATABASE {Template}");
        await using (var template = NpgsqlDataSource.Create(Admin(Template)))
        {
            var contexts = new DataSourceContextFactory(template);
            await new DatabaseInitializer(contexts, new TaxonomyStore(contexts)).MigrateAsync();
        }
        NpgsqlConnection.ClearAllPools();
    }

    private static string TemplateName()
    {
        using var dataSource = NpgsqlDataSource.Create(TestEnvironment.PostgresServer);
        using var db = new DataSourceContextFactory(dataSource).CreateDbContext();
        var newest = db.Database.GetMigrations().Last();
        return $"aa_template_{newest[..14]}";
    }

    private static string Admin(string database) =>
        new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresServer) { Database = database, Pooling = false }.ConnectionString;

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

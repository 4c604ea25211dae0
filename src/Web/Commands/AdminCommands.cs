using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Hosting;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;
using AnnotateAnyone.Web.Accounts;

namespace AnnotateAnyone.Web.Commands;

/// <summary>
/// Operations run from the command line against the configured database, without starting the server:
/// `migrate` (the one-shot step of deployments), `create-user` and `create-token` (bootstrapping admins and
/// API clients before anyone can sign in).
/// </summary>
public static class AdminCommands
{
    private const string Usage = """
        Commands:
          migrate                                            apply database migrations and seed roles and the default taxonomy
          create-user --email E --password P [--role R]...   create a user (roles: Annotator, DataLead, Ops, Admin)
          create-token --email E --name N [--days D]         print a new personal access token for the user
          seed-demo [--count N] [--seed S] [--size P]        queue N synthetic people (default 400) when the database has no image yet
          verify-release --name N --version V                recompute every checksum of a published release (exit 1 if any differs)
        """;

    public static bool IsCommand(string[] args) => CommandLine.NamesCommand(args);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            switch (args[0])
            {
                case "migrate":
                    var applied = await app.Services.GetRequiredService<DatabaseInitializer>().MigrateAsync();
                    Console.WriteLine(applied.Count == 0 ? "Database is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
                    return 0;
                case "create-user":
                    var user = await app.Services.GetRequiredService<UserDirectory>().CreateAsync(
                        CommandLine.Required(args, "--email"), CommandLine.Required(args, "--password"), CommandLine.Values(args, "--role"), null, "command-line");
                    Console.WriteLine($"Created {user.Email} ({string.Join(", ", user.Roles)}) with id {user.Id}.");
                    return 0;
                case "create-token":
                    var (email, name) = (CommandLine.Required(args, "--email"), CommandLine.Required(args, "--name"));
                    // As the API's expiresInDays: left out, the token does not expire.
                    var days = CommandLine.WholeNumber(args, "--days", 1, AccessTokens.MaxLifetimeDays, "leave it out for a token that does not expire");
                    var userId = await app.Services.GetRequiredService<UserDirectory>().FindIdByEmailAsync(email)
                        ?? throw new UserDirectoryException($"No user has the email '{email}'.");
                    var token = await app.Services.GetRequiredService<AccessTokens>().CreateAsync(
                        userId, name, days is { } d ? TimeSpan.FromDays(d) : null, userId);
                    Console.WriteLine(token.Secret);
                    return 0;
                case "seed-demo":
                    Console.WriteLine(await SeedDemoAsync(app.Services, args));
                    return 0;
                case "verify-release":
                    return await VerifyReleaseAsync(app.Services, CommandLine.Required(args, "--name"), CommandLine.Required(args, "--version"));
                case "help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    throw new ArgumentException($"'{args[0]}' is not a command (settings are given as --Key value).");
            }
        }
        catch (Exception e) when (e is UserDirectoryException or ArgumentException or InvalidIngestSourceException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static async Task<int> VerifyReleaseAsync(IServiceProvider services, string name, string version)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync();
        var release = await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.Name == name && r.Version == version)
            ?? throw new ArgumentException($"No release is called {name} {version}.");
        var report = await services.GetRequiredService<Data.Releases.ReleaseVerifier>().VerifyAsync(release.Prefix);
        foreach (var problem in report.Problems) Console.WriteLine($"{problem.Path}: {problem.Problem}");
        Console.WriteLine(report.Intact
            ? $"{report.Release}: all {report.FilesChecked} files match their checksums."
            : $"{report.Release}: {report.Problems.Count} of {report.FilesChecked} files do not match.");
        return report.Intact ? 0 : 1;
    }

    /// <summary>The demo data set, so a new installation has people to review before anyone brings photos.</summary>
    private static async Task<string> SeedDemoAsync(IServiceProvider services, string[] args)
    {
        // Read before the database is, so a mistyped option is refused whether or not the demo would be seeded.
        var size = CommandLine.WholeNumber(args, "--size", SyntheticSource.MinSide, SyntheticSource.MaxSide) ?? 512;
        var source = new SyntheticSource(CommandLine.WholeNumber(args, "--count", 1, SyntheticSource.MaxCount) ?? 400,
            CommandLine.WholeNumber(args, "--seed", int.MinValue, int.MaxValue) ?? 1, size, size);
        await using (var db = await services.GetRequiredService<IDbContextFactory<AnnotateDbContext>>().CreateDbContextAsync())
            if (await db.Images.AnyAsync())
                return "The database already holds images: no demo data added.";
        var run = await services.GetRequiredService<IngestLauncher>().StartAsync(source, null);
        return $"Queued the demo data set: {run.Description} (ingest run {run.Id}). A Worker ingests it in the background.";
    }
}

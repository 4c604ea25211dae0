using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Persistence;

/// <summary>Brings a database to this build's schema and seeds what every installation needs: roles and a taxonomy.</summary>
public sealed class DatabaseInitializer(IDbContextFactory<AnnotateDbContext> contexts, TaxonomyStore taxonomy)
{
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await MigrationStatus.PendingAsync(db, cancellationToken);
        await db.Database.MigrateAsync(cancellationToken);

        var existing = await db.Roles.Select(r => r.Name!).ToListAsync(cancellationToken);
        foreach (var role in Roles.All.Except(existing))
            db.Roles.Add(new AppRole(role) { NormalizedName = role.ToUpperInvariant(), ConcurrencyStamp = Guid.NewGuid().ToString() });
        await db.SaveChangesAsync(cancellationToken);

        await taxonomy.EnsureDefaultAsync(cancellationToken);
        return pending;
    }
}

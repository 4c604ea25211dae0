using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AnnotateAnyone.Data.Persistence;

public static class MigrationStatus
{
    /// <summary>
    /// The migrations this build has that the database lacks. Asks whether the history table exists first,
    /// so that a brand-new database does not log a failed query.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PendingAsync(AnnotateDbContext db, CancellationToken cancellationToken)
    {
        var history = db.GetService<IHistoryRepository>();
        var applied = await history.ExistsAsync(cancellationToken)
            ? (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(m => m.MigrationId).ToHashSet()
            : [];
        return db.Database.GetMigrations().Where(m => !applied.Contains(m)).ToList();
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AnnotateAnyone.Data.Tests.Schema;

/// <summary>A data migration taken down and up again, on a database of its own.</summary>
public sealed class RoundPaceMigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Rounds_measured_without_any_time_lose_their_stored_pace_of_zero_and_the_others_keep_theirs()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261204012559_ReviewTaskCompletionTime");
        await database.ExecuteAsync("""
            INSERT INTO annotation_rounds (number, name, status, taxonomy_version_id, metrics)
            SELECT n, 'Round ' || n, 4, (SELECT id FROM taxonomy_versions WHERE is_active), m::jsonb
            FROM (VALUES (1, '{"humanHours": 0, "labelsPerHumanHour": 0}'), (2, '{"humanHours": 0.5, "labelsPerHumanHour": 800}')) r(n, m)
            """);

        await migrator.MigrateAsync();

        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM annotation_rounds WHERE number = 1 AND metrics->'labelsPerHumanHour' = 'null'::jsonb"));
        Assert.Equal(1L, await database.ScalarAsync("SELECT count(*) FROM annotation_rounds WHERE number = 2 AND (metrics->>'labelsPerHumanHour')::int = 800"));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}

using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Tests.Schema;

public sealed class SchemaTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Migrations_leave_nothing_pending()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task Audit_events_can_be_appended_but_never_updated_or_deleted()
    {
        var audit = new AuditTrail(database.Contexts);
        await audit.RecordAsync("tester", "thing.done", "thing", "1", new { Why = "test" });

        var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE audit_events SET actor = 'forger'"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("DELETE FROM audit_events"));

        Assert.Contains("append-only", update.MessageText);
        Assert.Contains("append-only", delete.MessageText);
        await using var db = await database.Contexts.CreateDbContextAsync();
        Assert.Equal("tester", (await db.AuditEvents.SingleAsync(e => e.Action == "thing.done")).Actor);
    }

    [Fact]
    public async Task Label_decisions_are_append_only()
    {
        var image = await AddImageAsync(1);
        var attribute = await FirstAttributeIdAsync();
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            db.LabelDecisions.Add(new LabelDecision { ImageId = image, AttributeId = attribute, ValueIds = [1], Source = LabelSource.Human });
            await db.SaveChangesAsync();
        }

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync("UPDATE label_decisions SET value_ids = '{2}'"));
        Assert.Contains("append-only", error.MessageText);
    }

    [Fact]
    public async Task The_same_bytes_cannot_be_stored_as_two_images()
    {
        await AddImageAsync(2);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => AddImageAsync(2));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, (error.InnerException as PostgresException)?.SqlState);
    }

    [Fact]
    public async Task Near_duplicate_search_uses_the_perceptual_hash_band_indexes()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var indexes = await db.Database.SqlQueryRaw<string>(
            "SELECT indexname AS \"Value\" FROM pg_indexes WHERE tablename = 'images' AND indexname LIKE 'ix_images_phash_band%'").ToListAsync();
        Assert.Equal(4, indexes.Count);
    }

    [Fact]
    public async Task A_label_keeps_its_revision_as_an_optimistic_concurrency_token()
    {
        var image = await AddImageAsync(3);
        var attribute = await FirstAttributeIdAsync();
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            db.Labels.Add(new Label { ImageId = image, AttributeId = attribute, ValueIds = [1], Source = LabelSource.Human, Revision = 1 });
            await db.SaveChangesAsync();
        }

        await using var first = await database.Contexts.CreateDbContextAsync();
        await using var second = await database.Contexts.CreateDbContextAsync();
        var mine = await first.Labels.SingleAsync(l => l.ImageId == image);
        var theirs = await second.Labels.SingleAsync(l => l.ImageId == image);
        (mine.ValueIds, mine.Revision) = ([2], 2);
        await first.SaveChangesAsync();
        (theirs.ValueIds, theirs.Revision) = ([3], 2);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
    }

    private async Task<long> AddImageAsync(byte seed)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var sha = new byte[32];
        sha[0] = seed;
        var image = new Image { Sha256 = sha, SourceUri = "test", OriginalKey = $"originals/{seed}", Status = ImageStatus.Ingested };
        db.Images.Add(image);
        await db.SaveChangesAsync();
        return image.Id;
    }

    private async Task<int> FirstAttributeIdAsync()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.Attributes.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}

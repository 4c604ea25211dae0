using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Data.Tests.Review;

/// <summary>A database with images waiting for review, and the review services as the hosts wire them.</summary>
public static class ReviewFixture
{
    public static ReviewQueue Queue(TestDatabase database, ReviewOptions? options = null) =>
        new(database.DataSource, Options.Create(options ?? new ReviewOptions { GoldShare = 0 }));

    public static LabelBook Book(TestDatabase database, ReviewOptions? options = null) =>
        new(database.DataSource, database.Taxonomy(), Options.Create(options ?? new ReviewOptions { DoubleReviewShare = 0 }));

    public static ReviewItems Items(TestDatabase database, ReviewOptions? options = null) =>
        new(database.DataSource, database.Taxonomy(), Options.Create(options ?? new ReviewOptions()));

    /// <summary>Adds <paramref name="count"/> images, each with an open review task of the given priority.</summary>
    public static async Task<long[]> AddQueuedImagesAsync(TestDatabase database, int count, Func<int, float>? priority = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("""
            WITH added AS (
                INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, created_at, updated_at)
                SELECT decode(md5(random()::text || g::text) || md5(g::text || clock_timestamp()::text), 'hex'), 1, 'test', 'k', 0, 0, 0, false, now(), now()
                FROM generate_series(1, @count) g
                RETURNING id)
            SELECT id FROM added ORDER BY id
            """, connection);
        command.Parameters.AddWithValue("count", count);
        var ids = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        for (var i = 0; i < ids.Count; i++)
        {
            await using var task = new NpgsqlCommand("INSERT INTO review_tasks (image_id, kind, priority, status, created_at) VALUES (@image, 0, @priority, 0, now())", connection);
            task.Parameters.AddWithValue("image", ids[i]);
            task.Parameters.AddWithValue("priority", priority?.Invoke(i) ?? 0.5f);
            await task.ExecuteNonQueryAsync();
        }
        return [.. ids];
    }

    public static async Task<(int AttributeId, int[] Values)> SingleChoiceAsync(TestDatabase database, string key, int value = 0)
    {
        var index = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        var attribute = index.Find(key)!;
        return (attribute.Id, [attribute.Values.OrderBy(v => v.Position).ElementAt(value).Id]);
    }

    public static async Task<int> DecisionCountAsync(TestDatabase database, long imageId)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await db.LabelDecisions.CountAsync(d => d.ImageId == imageId);
    }

    /// <summary>A candidate captioner's proposals for the image, at confidence 0.5.</summary>
    public static async Task ProposeAsync(TestDatabase database, long image, params (int Attribute, int[] Values)[] proposals)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var taxonomy = await database.Taxonomy().GetActiveAsync();
        var model = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Status = ModelStatus.Candidate, TaxonomyVersionId = taxonomy.Id,
            Number = (await db.ModelVersions.MaxAsync(m => (int?)m.Number) ?? 0) + 1 };
        db.ModelVersions.Add(model);
        await db.SaveChangesAsync();
        foreach (var (attribute, values) in proposals)
            db.LabelProposals.Add(new LabelProposal { ImageId = image, AttributeId = attribute, ValueIds = values, Confidence = 0.5f, ModelVersionId = model.Id });
        await db.SaveChangesAsync();
    }

    /// <summary>An image made gold with the given answers, served to annotators as a gold item.</summary>
    public static async Task AddGoldImageAsync(TestDatabase database, params (int Attribute, int[] Values)[] answers)
    {
        var image = (await AddQueuedImagesAsync(database, 1)).Single();
        await using var db = await database.Contexts.CreateDbContextAsync();
        await db.ReviewTasks.Where(t => t.ImageId == image).ExecuteDeleteAsync();
        await db.Images.Where(i => i.Id == image).ExecuteUpdateAsync(i => i.SetProperty(x => x.IsGold, true));
        foreach (var (attribute, values) in answers) db.GoldAnswers.Add(new GoldAnswer { ImageId = image, AttributeId = attribute, ValueIds = values });
        await db.SaveChangesAsync();
    }
}

using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Jobs;
using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Data.Tests.Jobs;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnnotateAnyone.Data.Tests.ModelRegistry;

public sealed class CaptionerRegistryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>The registry as the hosts wire it, queueing into Hangfire's real PostgreSQL storage.</summary>
    private CaptionerRegistry Registry() =>
        new(database.Contexts, HangfireScheduler.For(database), new AuditTrail(database.Contexts), new VerifiedImages(database.DataSource));

    private async Task<(ModelVersion Older, ModelVersion Newer)> TwoVersionsAsync()
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        var taxonomy = (await database.Taxonomy().GetActiveAsync()).Id;
        var first = (await db.ModelVersions.MaxAsync(m => (int?)m.Number) ?? 0) + 1;
        var older = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Number = first, Status = ModelStatus.Retired, TaxonomyVersionId = taxonomy };
        var newer = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Number = first + 1, Status = ModelStatus.Candidate, TaxonomyVersionId = taxonomy };
        db.ModelVersions.AddRange(older, newer);
        await db.SaveChangesAsync();
        await db.ModelVersions.Where(m => m.Status == ModelStatus.Active).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ModelStatus.Retired));
        newer.Status = ModelStatus.Active;
        await db.SaveChangesAsync();
        return (older, newer);
    }

    [Fact]
    public async Task Promoting_a_newer_version_retires_the_active_one_and_queues_proposals_for_waiting_images()
    {
        var (_, newer) = await TwoVersionsAsync();
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            var next = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Number = newer.Number + 1, Status = ModelStatus.Candidate,
                TaxonomyVersionId = newer.TaxonomyVersionId };
            db.ModelVersions.Add(next);
            await db.SaveChangesAsync();
        }

        var promotion = await Registry().PromoteAsync(newer.Number + 1, null, CancellationToken.None);

        Assert.Equal((newer.Number + 1, newer.Number, false), (promotion.Version, promotion.Replaced, promotion.IsRollback));
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(newer.Number + 1, (await check.ModelVersions.SingleAsync(m => m.Status == ModelStatus.Active)).Number);
        Assert.True(await check.JobRuns.AnyAsync(r => r.Kind == JobKind.PreAnnotate));
        Assert.True(await check.AuditEvents.AnyAsync(e => e.Action == "captioner.promoted"));
    }

    [Fact]
    public async Task Rolling_back_withdraws_what_the_newer_version_accepted_alone_and_routes_its_rounds_again_with_the_older()
    {
        var (older, newer) = await TwoVersionsAsync();
        var index = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        int round;
        long[] images;
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            var reviewing = new AnnotationRound { Number = (await db.Rounds.MaxAsync(r => (int?)r.Number) ?? 0) + 1, Name = "a round",
                Status = RoundStatus.Reviewing, TaxonomyVersionId = index.Version.Id, ModelVersionId = newer.Id };
            db.Rounds.Add(reviewing);
            await db.SaveChangesAsync();
            round = reviewing.Id;
            await using var connection = await database.DataSource.OpenConnectionAsync();
            // Image 1: labelled by the newer version alone (done without a human). Image 2: one AI label, one human label.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, round_id, created_at, updated_at)
                SELECT decode(md5(random()::text || g::text) || md5(clock_timestamp()::text), 'hex'), 1, 'test', 'k', CASE g WHEN 1 THEN 3 ELSE 2 END, 0, 0, false, @round, now(), now()
                FROM generate_series(1, 2) g RETURNING id
                """, connection);
            insert.Parameters.AddWithValue("round", round);
            var ids = new List<long>();
            await using (var reader = await insert.ExecuteReaderAsync())
                while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
            images = [.. ids.Order()];
            await using var labels = new NpgsqlCommand("""
                INSERT INTO labels (image_id, attribute_id, value_ids, source, model_version_id, decided_at, revision) VALUES
                  (@first, @shot, @value, 1, @newer, now(), 1), (@second, @shot, @value, 1, @newer, now(), 1), (@second, @hair, @hairValue, 2, NULL, now(), 1)
                """, connection);
            labels.Parameters.AddWithValue("first", images[0]);
            labels.Parameters.AddWithValue("second", images[1]);
            labels.Parameters.AddWithValue("shot", index.Find("shot.shot_type")!.Id);
            labels.Parameters.AddWithValue("hair", index.Find("hair.color")!.Id);
            labels.Parameters.AddWithValue("value", new[] { index.Find("shot.shot_type")!.Values.First().Id });
            labels.Parameters.AddWithValue("hairValue", new[] { index.Find("hair.color")!.Values.First().Id });
            labels.Parameters.AddWithValue("newer", newer.Id);
            await labels.ExecuteNonQueryAsync();
        }

        var promotion = await Registry().PromoteAsync(older.Number, null, CancellationToken.None);

        Assert.True(promotion.IsRollback);
        Assert.Equal([round], promotion.ReroutedRounds);
        await using var check = await database.Contexts.CreateDbContextAsync();
        var left = await check.Labels.Where(l => images.Contains(l.ImageId)).ToListAsync();
        Assert.Equal(LabelSource.Human, Assert.Single(left).Source);
        Assert.All(await check.Images.Where(i => images.Contains(i.Id)).ToListAsync(), i => Assert.Equal(ImageStatus.PendingReview, i.Status));
        var rerouted = await check.Rounds.SingleAsync(r => r.Id == round);
        Assert.Equal((RoundStatus.Proposing, older.Id), (rerouted.Status, rerouted.ModelVersionId));
        var queued = await check.JobRuns.Where(r => r.Kind == JobKind.Round).Select(r => r.Parameters).ToListAsync();
        Assert.Contains(queued, p => p.RootElement.GetProperty("roundId").GetInt32() == round);
        Assert.Equal(ModelStatus.Active, (await check.ModelVersions.SingleAsync(m => m.Id == older.Id)).Status);
        Assert.Equal(ModelStatus.Retired, (await check.ModelVersions.SingleAsync(m => m.Id == newer.Id)).Status);
    }

    [Fact]
    public async Task A_trained_candidate_is_promoted_over_the_version_it_was_compared_with_but_not_over_one_promoted_while_it_trained()
    {
        var (older, newer) = await TwoVersionsAsync();
        int candidate;
        await using (var db = await database.Contexts.CreateDbContextAsync())
        {
            var version = new ModelVersion { Kind = ModelKind.Captioner, Name = "captioner", Number = newer.Number + 1, Status = ModelStatus.Candidate,
                TaxonomyVersionId = newer.TaxonomyVersionId };
            db.ModelVersions.Add(version);
            await db.SaveChangesAsync();
            candidate = version.Number;
        }

        var overOlder = await Registry().PromoteOverAsync(candidate, older.Number, null, CancellationToken.None);
        var overNone = await Registry().PromoteOverAsync(candidate, comparedWith: null, null, CancellationToken.None);
        var overNewer = await Registry().PromoteOverAsync(candidate, newer.Number, null, CancellationToken.None);

        Assert.Null(overOlder);
        Assert.Null(overNone);
        Assert.Equal((candidate, newer.Number), (overNewer!.Version, overNewer.Replaced));
        await using var check = await database.Contexts.CreateDbContextAsync();
        Assert.Equal(candidate, (await check.ModelVersions.SingleAsync(m => m.Status == ModelStatus.Active)).Number);
    }

    [Fact]
    public async Task Pre_annotating_is_refused_while_no_captioner_is_active_and_queued_once_one_is()
    {
        await using (var db = await database.Contexts.CreateDbContextAsync())
            await db.ModelVersions.Where(m => m.Status == ModelStatus.Active).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ModelStatus.Retired));

        var refused = await Assert.ThrowsAsync<RoundException>(() => Registry().PreAnnotateAsync(null, CancellationToken.None));
        await TwoVersionsAsync();
        var queued = await Registry().PreAnnotateAsync(null, CancellationToken.None);

        Assert.Contains("No captioner is active yet", refused.Message);
        Assert.Equal(JobKind.PreAnnotate, queued.Kind);
    }

    [Fact]
    public async Task Promoting_an_unknown_or_the_active_version_is_refused_with_the_reason()
    {
        var (_, newer) = await TwoVersionsAsync();

        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(() => Registry().PromoteAsync(999, null, CancellationToken.None));
        var active = await Assert.ThrowsAsync<RoundException>(() => Registry().PromoteAsync(newer.Number, null, CancellationToken.None));

        Assert.Contains("no captioner v999", unknown.Message);
        Assert.Contains("already the active version", active.Message);
    }
}

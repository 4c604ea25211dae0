using AnnotateAnyone.Data.Audit;
using AnnotateAnyone.Data.ModelRegistry;
using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Data.Routing;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Data.Tests.Routing;

/// <summary>A round of images with a captioner's proposals, and the routing service as the hosts wire it.</summary>
public static class RoutingFixture
{
    public const int Images = 400;
    public const string Shot = "shot.shot_type";

    public static RoutingService Routing(TestDatabase database) => new(database.DataSource, database.Contexts, database.Taxonomy(), new AuditTrail(database.Contexts),
        Options.Create(new RoutingOptions()));

    public static RoundService Rounds(TestDatabase database) =>
        new(database.Contexts, database.DataSource, Jobs.HangfireScheduler.For(database), database.Taxonomy(), new VerifiedImages(database.DataSource));

    /// <summary>The round's figures as <see cref="RoundService.MeasureAsync"/> measures them now.</summary>
    public static async Task<RoundMetrics> MeasureAsync(TestDatabase database, int round)
    {
        await using var db = await database.Contexts.CreateDbContextAsync();
        return await Rounds(database).MeasureAsync(await db.Rounds.SingleAsync(r => r.Id == round), CancellationToken.None);
    }

    /// <summary>
    /// A round of images and a captioner whose held-out answers agreed with annotators from confidence 0.9 for every
    /// attribute but hair colour (agreeing <paramref name="hairAgreement"/> of the time), on 300 held-out images. It
    /// proposes for every attribute with confidence 0.97, except shot type on nine images in ten, where it says
    /// <paramref name="shotConfidence"/>.
    /// </summary>
    /// <param name="trainedOnTaxonomyVersionId">
    /// The version the captioner was trained on, when not the active one; its proposals are in the active version's ids
    /// all the same, as pre-annotation writes them.
    /// </param>
    public static async Task<(int Round, int Model, long[] Images, TaxonomyIndex Index)> RoundWithProposalsAsync(TestDatabase database, float shotConfidence = 0.5f,
        double hairAgreement = 0.6, int? trainedOnTaxonomyVersionId = null)
    {
        var index = new TaxonomyIndex(await database.Taxonomy().GetActiveAsync());
        await using var db = await database.Contexts.CreateDbContextAsync();
        var heads = index.Attributes.Select(a => index.KeyOf(a.Id)).Select(key => new HeadMetrics(key, 300, key == "hair.color" ? hairAgreement : 1, 0.01, 1,
            ConfidenceProfile.From(Enumerable.Range(0, 300).Select(i => (0.905f + i % 10 / 100f, key != "hair.color" || i % 100 < hairAgreement * 100))))).ToList();
        var model = new ModelVersion
        {
            Kind = ModelKind.Captioner, Name = "captioner", Status = ModelStatus.Candidate, TaxonomyVersionId = trainedOnTaxonomyVersionId ?? index.Version.Id,
            Number = (await db.ModelVersions.MaxAsync(m => (int?)m.Number) ?? 0) + 1,
            Metrics = new CaptionerMetrics(0.99, 1, 5000, 1000, heads, null, null).ToDocument(),
        };
        db.ModelVersions.Add(model);
        await db.SaveChangesAsync();
        var round = new AnnotationRound { Number = (await db.Rounds.MaxAsync(r => (int?)r.Number) ?? 0) + 1, Name = "a round", Status = RoundStatus.Proposing, TaxonomyVersionId = index.Version.Id, ModelVersionId = model.Id, ImageCount = Images };
        db.Rounds.Add(round);
        await db.SaveChangesAsync();

        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var insert = new NpgsqlCommand("""
            INSERT INTO images (sha256, source_kind, source_uri, original_key, status, byte_size, flags, is_gold, round_id, created_at, updated_at)
            SELECT decode(md5(random()::text || g::text) || md5(g::text || clock_timestamp()::text), 'hex'), 1, 'test', 'k', 0, 0, 0, false, @round, now(), now()
            FROM generate_series(1, @count) g;
            INSERT INTO label_proposals (image_id, attribute_id, value_ids, confidence, model_version_id, created_at)
            SELECT i.id, a.id, ARRAY[(SELECT min(v.id) FROM attribute_values v WHERE v.attribute_id = a.id)],
                   CASE WHEN a.id = @shot AND i.id % 10 <> 0 THEN @unsure ELSE 0.97 END, @model, now()
            FROM images i CROSS JOIN attributes a WHERE i.round_id = @round AND a.taxonomy_version_id = @taxonomy;
            """, connection);
        insert.Parameters.AddWithValue("round", round.Id);
        insert.Parameters.AddWithValue("count", Images);
        insert.Parameters.AddWithValue("shot", index.Find(Shot)!.Id);
        insert.Parameters.AddWithValue("model", model.Id);
        insert.Parameters.AddWithValue("unsure", shotConfidence);
        insert.Parameters.AddWithValue("taxonomy", index.Version.Id);
        await insert.ExecuteNonQueryAsync();
        var images = await db.Images.Where(i => i.RoundId == round.Id).OrderBy(i => i.Id).Select(i => i.Id).ToArrayAsync();
        return (round.Id, model.Id, images, index);
    }
}

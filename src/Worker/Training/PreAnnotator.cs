using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Storage;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Model.Captioner;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AnnotateAnyone.Worker.Training;

/// <summary>
/// Runs a captioner over images waiting for labels and writes its proposals, one transaction per batch (binary
/// COPY through the proposal importer), so a Worker killed mid-run leaves whole batches or none; a rerun picks
/// up the images that still have no proposal from this model.
/// </summary>
public sealed class PreAnnotator(NpgsqlDataSource dataSource, CaptionerStore captioners, IObjectStore store, ProposalImporter importer,
    TaxonomyStore taxonomy, IOptions<CaptionerOptions> options)
{
    public async Task<int> RunAsync(int modelVersionId, int? roundId, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        var model = await captioners.LoadAsync(modelVersionId, cancellationToken);
        var index = new TaxonomyIndex(await taxonomy.GetActiveAsync(cancellationToken));
        var done = 0;
        long after = 0;
        while (true)
        {
            var batch = await NextBatchAsync(modelVersionId, roundId, after, cancellationToken);
            if (batch.Count == 0)
            {
                if (done > 0) await AnalyzeProposalsAsync(cancellationToken);
                return done;
            }
            after = batch[^1].Id;
            var pixels = new byte[batch.Count][];
            var parsing = new GivenParsing?[batch.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    using var thumbnail = ThumbnailPixels.Decode(await store.ReadAllBytesAsync(batch[i].ThumbnailKey, ct));
                    pixels[i] = ThumbnailPixels.Square(thumbnail, model.Spec.ImageSize);
                    parsing[i] = await ParsingMaps.ReadForCaptionerAsync(store, batch[i].ParsingMapKey, thumbnail, pixels[i], model.Spec, ct);
                });
            var predictions = await Task.Run(() => model.Predict(pixels, parsing), cancellationToken);

            var report = await importer.ImportAsync(modelVersionId, index, Rows(batch.Select(b => b.Id).ToList(), predictions, model.Spec, index).ToAsyncEnumerable(), cancellationToken,
                (connection, ct) => StoreUsableAsync(connection, batch, predictions, ct));
            if (!report.Accepted) throw new InvalidOperationException($"The captioner's proposals were refused: {report.Errors[0].Message}");
            done += batch.Count;
            await progress(done);
        }
    }

    /// <summary>
    /// Brings the proposals' statistics up to date at once: a round's proposals are read straight after (routing, a
    /// round's metrics), and while autovacuum has not sampled them yet PostgreSQL takes a model with a million fresh
    /// proposals for one with a few, and probes them through the model's index for every image. A sample, not a scan.
    /// </summary>
    private async Task AnalyzeProposalsAsync(CancellationToken cancellationToken)
    {
        await using var analyze = dataSource.CreateCommand("ANALYZE label_proposals");
        await analyze.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The proposals of a batch, as the importer takes them. A captioner trained before a taxonomy change may answer with
    /// an attribute or a value the active version retired: that answer is left out (part of a multiple-choice answer
    /// is a different answer), rather than the importer refusing the whole batch until a new captioner is trained.
    /// </summary>
    internal static IEnumerable<ProposalRow?> Rows(IReadOnlyList<long> images, IReadOnlyList<CaptionerPrediction> predictions, CaptionerSpec spec, TaxonomyIndex active)
    {
        for (var b = 0; b < images.Count; b++)
        for (var h = 0; h < spec.Heads.Count; h++)
        {
            var answer = predictions[b].Heads[h];
            if (answer.Values.Length == 0) continue; // a multiple-choice head that sees none of its values
            var values = answer.Values.Select(v => spec.Heads[h].Values[v]).ToArray();
            if (active.Find(spec.Heads[h].Attribute) is not { } attribute || values.Any(v => TaxonomyIndex.FindValue(attribute, v) is null)) continue;
            yield return new ProposalRow(images[b], null, spec.Heads[h].Attribute, values, answer.Confidence);
        }
    }

    private async Task<List<(long Id, string ThumbnailKey, string? ParsingMapKey)>> NextBatchAsync(int modelVersionId, int? roundId, long after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT i.id, i.thumbnail_key, i.parsing_map_key FROM images i
            WHERE i.status IN (0, 2) AND i.thumbnail_key IS NOT NULL AND i.id > @after AND (@round IS NULL OR i.round_id = @round)
              AND NOT EXISTS (SELECT 1 FROM label_proposals p WHERE p.image_id = i.id AND p.model_version_id = @model)
            ORDER BY i.id LIMIT @size
            """);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("round", NpgsqlTypes.NpgsqlDbType.Integer, (object?)roundId ?? DBNull.Value);
        command.Parameters.AddWithValue("model", modelVersionId);
        command.Parameters.AddWithValue("size", options.Value.InferenceBatch);
        var batch = new List<(long, string, string?)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) batch.Add((reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return batch;
    }

    private static async Task StoreUsableAsync(NpgsqlConnection connection, List<(long Id, string ThumbnailKey, string? ParsingMapKey)> batch,
        IReadOnlyList<CaptionerPrediction> predictions, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "UPDATE images i SET usable_score = u.score FROM unnest(@ids, @scores) AS u(id, score) WHERE i.id = u.id", connection);
        command.Parameters.AddWithValue("ids", batch.Select(b => b.Id).ToArray());
        command.Parameters.AddWithValue("scores", predictions.Select(p => p.Usable).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

using AnnotateAnyone.Data.Rounds;
using Npgsql;

namespace AnnotateAnyone.Data.ModelRegistry;

/// <summary>
/// The images a captioner learns from: every image people verified (a human, gold, adjudicated or imported label;
/// the AI's own accepted labels never train it) or flagged as unusable, once it has a thumbnail. Training streams them
/// and refuses too few; starting a training (or finishing a round, which starts one) refuses at once, rather than
/// queueing a job that could only fail.
/// </summary>
public sealed class VerifiedImages(NpgsqlDataSource dataSource)
{
    /// <summary>Fewest images a training learns from, and fewest it holds out to evaluate and calibrate on.</summary>
    public const int FewestToTrainOn = 10, FewestHeldOut = 2;

    /// <summary>Fewest verified images any training can split into the two.</summary>
    public const int Fewest = FewestToTrainOn + FewestHeldOut;

    /// <summary>The condition on <c>images i</c>: flagged unusable, or with a label people gave.</summary>
    public const string Condition = """
        i.thumbnail_key IS NOT NULL
          AND ((i.flags & 3) <> 0 OR EXISTS (SELECT 1 FROM labels h WHERE h.image_id = i.id AND h.source IN (2, 3, 4, 5)))
        """;

    /// <summary>How many there are: one pass over the images and the labels' primary key.</summary>
    public Task<long> CountAsync(CancellationToken cancellationToken) => CountAsync(limit: null, cancellationToken);

    /// <exception cref="RoundException">Fewer images are verified than any training needs.</exception>
    public async Task EnsureEnoughToTrainAsync(CancellationToken cancellationToken)
    {
        // Stops counting at the minimum: at CosmicMan's scale a full count is millions of index probes per click.
        var verified = await CountAsync(Fewest, cancellationToken);
        if (verified < Fewest) throw new RoundException(TooFew($"Only {verified} verified image(s)"));
    }

    /// <summary>The refusal, after <paramref name="counts"/> (how many there are, and how the split left them).</summary>
    public static string TooFew(string counts) =>
        $"{counts}: a captioner trains on at least {FewestToTrainOn} and holds out at least {FewestHeldOut}; review more images before training.";

    private async Task<long> CountAsync(int? limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*) FROM (SELECT 1 FROM images i WHERE {Condition} LIMIT $1) verified");
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)limit ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

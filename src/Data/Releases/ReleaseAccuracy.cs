using AnnotateAnyone.Data.Labels;
using AnnotateAnyone.Data.Persistence;
using AnnotateAnyone.Data.Review;
using AnnotateAnyone.Data.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Releases;

/// <summary>
/// Estimates each attribute's label accuracy in a release from what the platform measured: the AI's accuracy on
/// the audit sample of the latest round that audited the attribute (for AI-accepted labels), and the annotators'
/// accuracy inferred from double-review agreement (two independent annotators of accuracy p agree about p² of the
/// time, so p ≈ √agreement) for human labels; weighted by how many labels of each kind the release has.
/// Gold, imported and adjudicated labels count as human. An attribute neither measure covers has no estimate.
/// </summary>
public sealed class ReleaseAccuracy(IDbContextFactory<AnnotateDbContext> contexts, AnnotatorStats annotators)
{
    public async Task<IReadOnlyDictionary<string, double>> EstimateAsync(ReleaseCounts counts, CancellationToken cancellationToken)
    {
        var ai = await LatestAiAccuracyAsync(cancellationToken);
        var human = (await annotators.AgreementAsync(cancellationToken))
            .Where(a => a.Units > 0).ToDictionary(a => a.Attribute, a => Math.Sqrt(a.PercentAgreement));

        var estimates = new Dictionary<string, double>();
        foreach (var attribute in counts.Attributes)
        {
            var aiLabels = attribute.Sources.GetValueOrDefault(ReleaseColumns.SourceName(LabelSource.AiAccepted));
            var humanLabels = attribute.Sources.Values.Sum() - aiLabels;
            double weighted = 0, weight = 0;
            if (aiLabels > 0 && ai.TryGetValue(attribute.Attribute, out var a)) (weighted, weight) = (weighted + a * aiLabels, weight + aiLabels);
            if (humanLabels > 0 && human.TryGetValue(attribute.Attribute, out var h)) (weighted, weight) = (weighted + h * humanLabels, weight + humanLabels);
            if (weight > 0) estimates[attribute.Attribute] = weighted / weight;
        }
        return estimates;
    }

    private async Task<Dictionary<string, double>> LatestAiAccuracyAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rounds = await db.Rounds.AsNoTracking().Where(r => r.Metrics != null).OrderByDescending(r => r.Number).Select(r => r.Metrics).Take(20).ToListAsync(cancellationToken);
        var accuracy = new Dictionary<string, double>();
        foreach (var metrics in rounds.Select(RoundMetrics.From).OfType<RoundMetrics>())
            foreach (var attribute in metrics.AiAccuracy.Where(a => a.Audited > 0))
                accuracy.TryAdd(attribute.Attribute, attribute.Accuracy);
        return accuracy;
    }
}

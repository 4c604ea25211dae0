using AnnotateAnyone.Data.Rounds;
using MudBlazor;

namespace AnnotateAnyone.Web.Components.Rounds;

/// <summary>The rounds page's chart: human share and the AI's audited accuracy, in percent, per measured round.</summary>
public sealed record RoundTrend(string[] Labels, List<ChartSeries<double>> Series)
{
    public static RoundTrend Of(IEnumerable<(int Number, RoundMetrics Metrics)> measured)
    {
        var rounds = measured.OrderBy(r => r.Number).ToList();
        return new(rounds.Select(r => r.Number.ToString()).ToArray(),
        [
            new() { Name = "Human share, %", Data = rounds.Select(r => Percent(r.Metrics.HumanShare)).ToArray() },
            // A round without audit labels (no captioner proposed for it) leaves a gap: plotted as 0, it read as a captioner always wrong.
            new() { Name = "AI accuracy (audit), %", Data = rounds.Select(r => Percent(r.Metrics.AuditAccuracy)).ToArray() },
        ]);
    }

    private static double? Percent(double share) => double.IsNaN(share) ? null : Math.Round(share * 100, 1);
}

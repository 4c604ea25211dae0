using AnnotateAnyone.Data.Rounds;
using AnnotateAnyone.Web.Components.Rounds;

namespace AnnotateAnyone.Web.Tests.Rounds;

public sealed class RoundTrendTests
{
    [Fact]
    public void A_round_without_audit_labels_leaves_a_gap_in_the_ai_accuracy_line_rather_than_a_zero()
    {
        var trend = RoundTrend.Of([(2, Measured(0.44, 0.912)), (1, Measured(1.0, double.NaN))]);

        Assert.Equal(["1", "2"], trend.Labels);
        Assert.Equal([100.0, 44.0], Values(trend, "Human share, %"));
        Assert.Equal([null, 91.2], Values(trend, "AI accuracy (audit), %"));
    }

    private static double?[] Values(RoundTrend trend, string series)
    {
        var data = trend.Series.Single(s => s.Name == series).Data;
        return Enumerable.Range(0, data.Count).Select(i => data[i].HasValue ? (double?)data.GetValue(i) : null).ToArray();
    }

    private static RoundMetrics Measured(double humanShare, double auditAccuracy) =>
        new(Images: 10, Labels: 100, HumanLabels: 0, AiAcceptedLabels: 0, HumanShare: humanShare, HumanCorrections: 0, HumanHours: 0,
            LabelsPerHumanHour: 0, AuditAccuracy: auditAccuracy, AiAccuracy: []);
}

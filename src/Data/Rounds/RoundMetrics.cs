using System.Text.Json;

namespace AnnotateAnyone.Data.Rounds;

/// <summary>The AI's accuracy on one attribute, measured on the round's audit images (humans labelled them whole).</summary>
public sealed record AttributeAccuracy(string Attribute, int Audited, double Accuracy);

/// <summary>
/// What a round measured: how good the AI was, how much humans did, and how fast (<see cref="LabelsPerHumanHour"/> is
/// null while no reviewer reported time: reviews through the HTTP API without <c>timeSpentMs</c>, or none yet, leave
/// nothing to divide by). <see cref="OpenReviews"/> counts the
/// reviews still open when it was measured (a round can be finished before its review is): their labels are not in the
/// figures yet, so the human share reads low until the last of them is done and the round is measured again.
/// <see cref="MeasureVersion"/> names the rules that measured it; figures measured by older rules are measured again.
/// </summary>
public sealed record RoundMetrics(
    int Images,
    int Labels,
    int HumanLabels,
    int AiAcceptedLabels,
    double HumanShare,
    int HumanCorrections,
    double HumanHours,
    double? LabelsPerHumanHour,
    double AuditAccuracy,
    IReadOnlyList<AttributeAccuracy> AiAccuracy,
    int OpenReviews = 0,
    int MeasureVersion = 0)
{
    /// <summary>
    /// The rules <see cref="RoundService.MeasureAsync"/> measures by. Raise it with any change to what it counts: Workers
    /// then measure every finished round again (<see cref="RoundService.MeasureAgainAsync"/>), so that no round keeps
    /// figures the product no longer computes. 1: human corrections count each label once (they counted every
    /// differing decision, so a second review or a changed mind added more), and answers given after a taxonomy change
    /// measure the captioner (they measured nothing until a captioner of the new version was promoted).
    /// </summary>
    public const int CurrentMeasureVersion = 1;

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, ModelRegistry.CaptionerMetrics.Json);

    public static RoundMetrics? From(JsonDocument? document) => document?.Deserialize<RoundMetrics>(ModelRegistry.CaptionerMetrics.Json);
}

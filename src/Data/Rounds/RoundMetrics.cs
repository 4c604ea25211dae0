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
    int OpenReviews = 0)
{
    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, ModelRegistry.CaptionerMetrics.Json);

    public static RoundMetrics? From(JsonDocument? document) => document?.Deserialize<RoundMetrics>(ModelRegistry.CaptionerMetrics.Json);
}

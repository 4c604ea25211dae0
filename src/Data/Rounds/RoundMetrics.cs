using System.Text.Json;

namespace AnnotateAnyone.Data.Rounds;

/// <summary>The AI's accuracy on one attribute, measured on the round's audit images (humans labelled them whole).</summary>
public sealed record AttributeAccuracy(string Attribute, int Audited, double Accuracy);

/// <summary>What a round measured: how good the AI was, how much humans did, and how fast.</summary>
public sealed record RoundMetrics(
    int Images,
    int Labels,
    int HumanLabels,
    int AiAcceptedLabels,
    double HumanShare,
    int HumanCorrections,
    double HumanHours,
    double LabelsPerHumanHour,
    double AuditAccuracy,
    IReadOnlyList<AttributeAccuracy> AiAccuracy)
{
    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, ModelRegistry.CaptionerMetrics.Json);

    public static RoundMetrics? From(JsonDocument? document) => document?.Deserialize<RoundMetrics>(ModelRegistry.CaptionerMetrics.Json);
}

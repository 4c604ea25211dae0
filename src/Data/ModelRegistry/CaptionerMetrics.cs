using System.Text.Json;
using AnnotateAnyone.Data.Routing;

namespace AnnotateAnyone.Data.ModelRegistry;

/// <summary>One attribute's results on the held-out set: accuracy, calibration error after temperature scaling, and its confidence profile.</summary>
public sealed record HeadMetrics(string Attribute, int Count, double Accuracy, double CalibrationError, float Temperature, ConfidenceProfile Profile);

/// <summary>What a captioner version measured, stored with it in the registry.</summary>
public sealed record CaptionerMetrics(
    double MeanAccuracy,
    double UsableAccuracy,
    int TrainExamples,
    int ValidationExamples,
    IReadOnlyList<HeadMetrics> Heads,
    int? ComparedWithVersion,
    double? ComparedMeanAccuracy,
    double? ValidationShare = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, Json);

    public static CaptionerMetrics? From(JsonDocument? document) => document?.Deserialize<CaptionerMetrics>(Json);
}

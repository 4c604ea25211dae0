using System.Text.Json;
using System.Text.Json.Serialization;
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
    double? ValidationShare = null,
    string? Encoder = null)
{
    /// <summary>How the page names the version's encoder (the captioner's backbone setting it was trained with); empty for versions that did not record it.</summary>
    [JsonIgnore]
    public string EncoderName => Encoder switch
    {
        null => "",
        "ResNet18" => "ResNet-18",
        _ => Encoder.ToLowerInvariant(),
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>
    /// The share of verified images this version held out. Versions registered before the share was recorded give their
    /// held-out fraction, which the hash split makes the configured share within sampling noise.
    /// </summary>
    [JsonIgnore]
    public double HeldOutShare => ValidationShare ?? ValidationExamples / (double)Math.Max(1, TrainExamples + ValidationExamples);

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, Json);

    public static CaptionerMetrics? From(JsonDocument? document) => document?.Deserialize<CaptionerMetrics>(Json);
}

using System.Text.Json;

namespace AnnotateAnyone.Data.Daring;

/// <summary>
/// How a Daring model does on held-out attribute combinations, per body-part group: the share of requested
/// attribute values the captioner finds in generated images (alignment), and the share of the group's
/// cross-attention that falls inside its mask on held-out images. Stored as the model version's metrics.
/// </summary>
public sealed record DaringReport(
    double Lambda,
    int Steps,
    int Seed,
    int TrainImages,
    int HeldOutImages,
    int? CaptionerVersion,
    IReadOnlyList<GroupScore> Groups,
    double? MeanAlignment,
    double? MeanAttentionInMask,
    double FinalDenoisingLoss,
    double FinalHolaLoss,
    DaringComparison? ComparedWith = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public JsonDocument ToDocument() => JsonSerializer.SerializeToDocument(this, Json);

    public static DaringReport? From(JsonDocument? metrics)
    {
        if (metrics is null || !metrics.RootElement.TryGetProperty("groups", out _)) return null;
        return metrics.Deserialize<DaringReport>(Json);
    }
}

/// <param name="Alignment">Share of requested values the captioner found (null: no captioner, or no requested value in this group).</param>
/// <param name="AttentionInMask">Share of the group's attention inside its mask (null: no held-out image showed the group).</param>
public sealed record GroupScore(string Key, string Name, double? Alignment, int Requested, double? AttentionInMask);

/// <summary>The other model of an ablation, by version number, with its own scores.</summary>
public sealed record DaringComparison(int VersionNumber, double Lambda, IReadOnlyList<GroupScore> Groups, double? MeanAlignment, double? MeanAttentionInMask);

using System.Diagnostics.Metrics;

namespace AnnotateAnyone.Data.Telemetry;

/// <summary>
/// The platform's own measurements, recorded where the work happens (the review services run in the Web host) and
/// exported by the host that serves /metrics. Names follow OpenTelemetry's conventions; Prometheus sees them as
/// annotate_review_claim_duration_seconds and so on.
/// </summary>
public static class PlatformMeter
{
    public const string Name = "AnnotateAnyone";

    private static readonly Meter Meter = new(Name);

    public static readonly Histogram<double> ClaimDuration = Meter.CreateHistogram<double>(
        "annotate.review.claim.duration", "s", "How long leasing the next review item took.");

    public static readonly Counter<long> ReviewedItems = Meter.CreateCounter<long>(
        "annotate.review.items", "{item}", "Review items annotators finished.");

    public static readonly Counter<long> ReviewedLabels = Meter.CreateCounter<long>(
        "annotate.review.labels", "{label}", "Labels annotators decided, changed or confirmed.");
}

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

    /// <summary>In seconds, so buckets of milliseconds: the exporter's default bounds (0 to 10,000) suit milliseconds and put every claim in one.</summary>
    public static readonly Histogram<double> ClaimDuration = Meter.CreateHistogram<double>(
        "annotate.review.claim.duration", "s", "How long leasing the next review item took.", tags: null,
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    public static readonly Counter<long> ReviewedItems = Meter.CreateCounter<long>(
        "annotate.review.items", "{item}", "Review items annotators finished.");

    public static readonly Counter<long> ReviewedLabels = Meter.CreateCounter<long>(
        "annotate.review.labels", "{label}", "Labels annotators decided, changed or confirmed.");
}

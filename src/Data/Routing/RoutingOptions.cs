using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Routing;

public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>The lowest accuracy target: below it, a guess between two values would do.</summary>
    public const double LowestTarget = 0.5;

    /// <summary>The accuracy an attribute's AI-accepted labels must reach (with confidence) unless a data lead set another.</summary>
    [Range(LowestTarget, 1.0)]
    public double DefaultTarget { get; set; } = 0.97;

    /// <summary>Whether <paramref name="target"/> is an accuracy a target can be, from <see cref="LowestTarget"/> to 1 (NaN is not).</summary>
    public static bool IsTarget(double target) => target is >= LowestTarget and <= 1;

    /// <summary>The share of images that always go to humans whole, whatever the AI's confidence: the unbiased audit sample.</summary>
    [Range(0.0, 1.0)]
    public double AuditShare { get; set; } = 0.05;

    /// <summary>
    /// A round in review is routed again each time this share of its images has been reviewed since it was last
    /// routed: the reviews' evidence may earn attributes their thresholds for the images still waiting.
    /// </summary>
    [Range(0.01, 1.0)]
    public double RerouteShare { get; set; } = 0.1;

    /// <summary>How often Workers look for rounds due to be routed again (and for rounds finished early to measure again).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RerouteCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The z of the Wilson lower bound (1.645: 95% one-sided).</summary>
    [Range(0.0, 5.0)]
    public double Confidence { get; set; } = 1.645;
}

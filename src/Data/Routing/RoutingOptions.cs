using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Routing;

public sealed class RoutingOptions
{
    public const string Section = "Routing";

    /// <summary>The accuracy an attribute's AI-accepted labels must reach (with confidence) unless a data lead set another.</summary>
    [Range(0.5, 1.0)]
    public double DefaultTarget { get; set; } = 0.97;

    /// <summary>The share of images that always go to humans whole, whatever the AI's confidence: the unbiased audit sample.</summary>
    [Range(0.0, 1.0)]
    public double AuditShare { get; set; } = 0.05;

    /// <summary>The z of the Wilson lower bound (1.645: 95% one-sided).</summary>
    [Range(0.0, 5.0)]
    public double Confidence { get; set; } = 1.645;
}

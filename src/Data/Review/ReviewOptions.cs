using System.ComponentModel.DataAnnotations;

namespace AnnotateAnyone.Data.Review;

public sealed class ReviewOptions
{
    public const string Section = "Review";

    /// <summary>How long a claimed item stays with its annotator without activity before it returns to the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "08:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The share of claims answered with a gold item the annotator has not seen (0 turns gold off).</summary>
    [Range(0.0, 1.0)]
    public double GoldShare { get; set; } = 0.05;

    /// <summary>The share of reviewed items that a second annotator reviews again, to measure agreement.</summary>
    [Range(0.0, 1.0)]
    public double DoubleReviewShare { get; set; } = 0.1;

    /// <summary>
    /// Whether the reviews that measure the captioner (audit images, and attributes routed to people whole) hide its
    /// answers. An answer on screen anchors the annotator: one who accepts what is proposed agrees with the captioner
    /// whether it is right or not, the captioner looks better than it is, and routing trusts it with labels it gets
    /// wrong. Hidden answers make those reviews slower, since each value is chosen rather than confirmed.
    /// </summary>
    public bool BlindMeasurement { get; set; } = true;
}

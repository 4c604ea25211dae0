using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Rounds;

/// <summary>A batch of images taken through proposal, routing, review and retraining, with what it measured.</summary>
public sealed class AnnotationRound
{
    public int Id { get; set; }
    public int Number { get; set; }
    public required string Name { get; set; }
    public RoundStatus Status { get; set; }
    public int TaxonomyVersionId { get; set; }

    /// <summary>How many images the round took (fixed when it starts: images never move between rounds), kept so that
    /// neither the Rounds page nor the Workers' check for rounds due to be routed again counts a round's images.</summary>
    public int ImageCount { get; set; }

    /// <summary>The captioner that proposed this round's labels.</summary>
    public int? ModelVersionId { get; set; }

    /// <summary>How many of the round's images had been reviewed when it was last routed (it is routed again as reviews add evidence).</summary>
    public int RoutedAtReviews { get; set; }

    /// <summary>
    /// How many times the round has been routed: once when its proposals are in, then again each time reviews add
    /// evidence (<see cref="RoutedAtReviews"/>) and when a rollback brings back another captioner's thresholds.
    /// </summary>
    public int Routings { get; set; }

    /// <summary>When the round was last routed.</summary>
    public DateTimeOffset? RoutedAt { get; set; }

    public Guid? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Per-attribute AI accuracy, human share, corrections and labels per human hour.</summary>
    public JsonDocument? Metrics { get; set; }

    /// <summary>While the round is <see cref="RoundStatus.Failed"/>: the step whose job failed (proposing or training).</summary>
    public RoundStatus? FailedWhile { get; set; }

    /// <summary>While the round is <see cref="RoundStatus.Failed"/>: why, as its job said.</summary>
    public string? Failure { get; set; }
}

public enum RoundStatus : short
{
    Open = 0,
    Proposing = 1,
    Reviewing = 2,
    Training = 3,
    Completed = 4,
    Failed = 5,
}

internal sealed class AnnotationRoundConfiguration : IEntityTypeConfiguration<AnnotationRound>
{
    public void Configure(EntityTypeBuilder<AnnotationRound> round)
    {
        round.ToTable("annotation_rounds");
        round.HasIndex(r => r.Number).IsUnique();
        round.Property(r => r.CreatedAt).HasDefaultValueSql("now()");
    }
}

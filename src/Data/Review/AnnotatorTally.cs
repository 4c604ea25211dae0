using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// One annotator's running totals, added to in the transaction that saves each decision and completes each item,
/// so that the Quality page reads a row per annotator instead of recomputing every annotator's work from all
/// label decisions (115 million at CosmicMan's scale) on each view.
/// </summary>
public sealed class AnnotatorTally
{
    public Guid UserId { get; set; }

    /// <summary>Review decisions saved, including proposals confirmed when an item is completed.</summary>
    public long Decisions { get; set; }

    /// <summary>Time the workspace measured on those decisions, idle gaps excluded.</summary>
    public long TimeSpentMs { get; set; }

    /// <summary>Items completed, of every kind.</summary>
    public long Items { get; set; }

    /// <summary>Labels of completed reviews that had an AI proposal when completed, and how many of those the annotator changed.</summary>
    public long Proposed { get; set; }
    public long Changed { get; set; }

    /// <summary>Answers given on gold items that have a known answer, and how many matched it.</summary>
    public long GoldAnswers { get; set; }
    public long GoldCorrect { get; set; }
}

internal sealed class AnnotatorTallyConfiguration : IEntityTypeConfiguration<AnnotatorTally>
{
    public void Configure(EntityTypeBuilder<AnnotatorTally> tally)
    {
        tally.ToTable("annotator_tallies");
        tally.HasKey(t => t.UserId);
    }
}

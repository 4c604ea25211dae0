using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Truth;

/// <summary>
/// What an image really shows, known because the platform drew it (the synthetic people generator). Never
/// shown to annotators and never a label: benchmarks and evaluations measure the AI, the humans and the
/// flywheel against it.
/// </summary>
public sealed class GroundTruth
{
    public long ImageId { get; set; }

    /// <summary>False for the generator's deliberately unusable images (no person, person too small, heavy blur).</summary>
    public bool Usable { get; set; }

    public required string Generator { get; set; }
    public long Seed { get; set; }
}

/// <summary>The true value of one attribute (of the taxonomy version the generator followed) of one image.</summary>
public sealed class GroundTruthLabel
{
    public long ImageId { get; set; }
    public int AttributeId { get; set; }
    public required int[] ValueIds { get; set; }
}

internal sealed class GroundTruthConfiguration : IEntityTypeConfiguration<GroundTruth>
{
    public void Configure(EntityTypeBuilder<GroundTruth> truth)
    {
        truth.ToTable("ground_truth");
        truth.HasKey(t => t.ImageId);
        truth.HasOne<Image>().WithOne().HasForeignKey<GroundTruth>(t => t.ImageId);
    }
}

internal sealed class GroundTruthLabelConfiguration : IEntityTypeConfiguration<GroundTruthLabel>
{
    public void Configure(EntityTypeBuilder<GroundTruthLabel> label)
    {
        label.ToTable("ground_truth_labels");
        label.HasKey(l => new { l.ImageId, l.AttributeId });
        label.HasIndex(l => l.AttributeId);
        label.HasOne<Image>().WithMany().HasForeignKey(l => l.ImageId);
        label.HasOne<AttributeDefinition>().WithMany().HasForeignKey(l => l.AttributeId).OnDelete(DeleteBehavior.Restrict);
    }
}

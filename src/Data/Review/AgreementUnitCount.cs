using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Review;

/// <summary>
/// How many double-reviewed units (one image's attribute) got the same answers, in review order. Kept up to date as
/// reviews of double-reviewed images complete, so agreement per attribute is computed from a few rows per value
/// combination instead of from every decision of every double-reviewed image (millions at CosmicMan's scale).
/// </summary>
public sealed class AgreementUnitCount
{
    public int AttributeId { get; set; }

    /// <summary>Each review's final answer, first review first; a multiple-choice answer is its value ids joined by commas.</summary>
    public required string[] Answers { get; set; }

    public long Units { get; set; }
}

internal sealed class AgreementUnitCountConfiguration : IEntityTypeConfiguration<AgreementUnitCount>
{
    public void Configure(EntityTypeBuilder<AgreementUnitCount> count)
    {
        count.ToTable("agreement_units");
        count.HasKey(c => new { c.AttributeId, c.Answers });
    }
}

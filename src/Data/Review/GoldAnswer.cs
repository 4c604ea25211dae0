using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Review;

/// <summary>The known answer for one attribute of a gold image, set by a data lead.</summary>
public sealed class GoldAnswer
{
    public long ImageId { get; set; }
    public int AttributeId { get; set; }
    public required int[] ValueIds { get; set; }
    public Guid? SetBy { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

internal sealed class GoldAnswerConfiguration : IEntityTypeConfiguration<GoldAnswer>
{
    public void Configure(EntityTypeBuilder<GoldAnswer> answer)
    {
        answer.ToTable("gold_answers");
        answer.HasKey(a => new { a.ImageId, a.AttributeId });
        answer.HasOne<Image>().WithMany().HasForeignKey(a => a.ImageId);
        answer.HasOne<AttributeDefinition>().WithMany().HasForeignKey(a => a.AttributeId).OnDelete(DeleteBehavior.Restrict);
        answer.Property(a => a.SetAt).HasDefaultValueSql("now()");
    }
}

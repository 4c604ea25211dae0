using AnnotateAnyone.Data.Images;
using AnnotateAnyone.Data.Taxonomy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Labels;

internal sealed class LabelProposalConfiguration : IEntityTypeConfiguration<LabelProposal>
{
    public void Configure(EntityTypeBuilder<LabelProposal> proposal)
    {
        proposal.ToTable("label_proposals");
        proposal.HasIndex(p => new { p.ImageId, p.AttributeId });
        proposal.HasIndex(p => p.ModelVersionId);
        proposal.HasOne<Image>().WithMany().HasForeignKey(p => p.ImageId);
        proposal.HasOne<AttributeDefinition>().WithMany().HasForeignKey(p => p.AttributeId).OnDelete(DeleteBehavior.Restrict);
        proposal.Property(p => p.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class LabelConfiguration : IEntityTypeConfiguration<Label>
{
    public void Configure(EntityTypeBuilder<Label> label)
    {
        label.ToTable("labels");
        label.HasKey(l => new { l.ImageId, l.AttributeId });
        label.HasIndex(l => l.AttributeId);
        label.HasOne<Image>().WithMany().HasForeignKey(l => l.ImageId);
        label.HasOne<AttributeDefinition>().WithMany().HasForeignKey(l => l.AttributeId).OnDelete(DeleteBehavior.Restrict);
        label.Property(l => l.Revision).IsConcurrencyToken();
        label.Property(l => l.DecidedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class LabelDecisionConfiguration : IEntityTypeConfiguration<LabelDecision>
{
    public void Configure(EntityTypeBuilder<LabelDecision> decision)
    {
        decision.ToTable("label_decisions");
        decision.HasIndex(d => new { d.ImageId, d.AttributeId });
        decision.HasIndex(d => new { d.UserId, d.DecidedAt });
        decision.HasIndex(d => d.RoundId);
        decision.HasOne<Image>().WithMany().HasForeignKey(d => d.ImageId);
        decision.Property(d => d.DecidedAt).HasDefaultValueSql("now()");
    }
}

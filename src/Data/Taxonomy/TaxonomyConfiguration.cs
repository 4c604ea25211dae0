using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Taxonomy;

internal sealed class TaxonomyVersionConfiguration : IEntityTypeConfiguration<TaxonomyVersion>
{
    public void Configure(EntityTypeBuilder<TaxonomyVersion> version)
    {
        version.ToTable("taxonomy_versions");
        version.HasIndex(v => v.Number).IsUnique();
        version.HasIndex(v => v.IsActive).IsUnique().HasFilter("is_active");
        version.HasOne<TaxonomyVersion>().WithMany().HasForeignKey(v => v.ParentId).OnDelete(DeleteBehavior.Restrict);
        version.HasMany(v => v.Groups).WithOne().HasForeignKey(g => g.TaxonomyVersionId);
        version.Property(v => v.CreatedAt).HasDefaultValueSql("now()");
    }
}

internal sealed class AttributeGroupConfiguration : IEntityTypeConfiguration<AttributeGroup>
{
    public void Configure(EntityTypeBuilder<AttributeGroup> group)
    {
        group.ToTable("attribute_groups");
        group.HasIndex(g => new { g.TaxonomyVersionId, g.Key }).IsUnique();
        group.HasMany(g => g.Attributes).WithOne(a => a.Group).HasForeignKey(a => a.GroupId);
    }
}

internal sealed class AttributeDefinitionConfiguration : IEntityTypeConfiguration<AttributeDefinition>
{
    public void Configure(EntityTypeBuilder<AttributeDefinition> attribute)
    {
        attribute.ToTable("attributes");
        attribute.HasIndex(a => new { a.GroupId, a.Key }).IsUnique();
        attribute.HasIndex(a => a.TaxonomyVersionId);
        attribute.HasOne<TaxonomyVersion>().WithMany().HasForeignKey(a => a.TaxonomyVersionId).OnDelete(DeleteBehavior.Restrict);
        attribute.HasMany(a => a.Values).WithOne().HasForeignKey(v => v.AttributeId);
    }
}

internal sealed class AttributeValueConfiguration : IEntityTypeConfiguration<AttributeValue>
{
    public void Configure(EntityTypeBuilder<AttributeValue> value)
    {
        value.ToTable("attribute_values");
        value.HasIndex(v => new { v.AttributeId, v.Key }).IsUnique();
    }
}

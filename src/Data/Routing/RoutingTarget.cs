using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Routing;

/// <summary>A data lead's accuracy target for one attribute (by "group.attribute" key, so it survives taxonomy versions).</summary>
public sealed class RoutingTarget
{
    public required string AttributeKey { get; set; }
    public double Target { get; set; }
    public Guid? SetBy { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

internal sealed class RoutingTargetConfiguration : IEntityTypeConfiguration<RoutingTarget>
{
    public void Configure(EntityTypeBuilder<RoutingTarget> target)
    {
        target.ToTable("routing_targets");
        target.HasKey(t => t.AttributeKey);
        target.Property(t => t.SetAt).HasDefaultValueSql("now()");
    }
}

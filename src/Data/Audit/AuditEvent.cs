using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AnnotateAnyone.Data.Audit;

/// <summary>
/// An entry of the append-only audit trail: who did what to which subject. A database trigger refuses
/// updates and deletes, so not even the application can rewrite history.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }

    /// <summary>A user id, or a name such as "system" or "worker:host".</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }
    public required string SubjectType { get; set; }
    public required string SubjectId { get; set; }
    public JsonDocument? Details { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> audit)
    {
        audit.ToTable("audit_events");
        audit.HasIndex(a => new { a.SubjectType, a.SubjectId });
        audit.HasIndex(a => a.OccurredAt);
        audit.Property(a => a.OccurredAt).HasDefaultValueSql("now()");
    }
}

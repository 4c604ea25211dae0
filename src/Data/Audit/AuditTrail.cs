using System.Text.Json;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Audit;

/// <summary>Appends entries to the audit trail. Entries are never updated or deleted (a trigger enforces it).</summary>
public sealed class AuditTrail(IDbContextFactory<AnnotateDbContext> contexts)
{
    public async Task RecordAsync(string actor, string action, string subjectType, string subjectId, object? details = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEvents.Add(new AuditEvent
        {
            Actor = actor,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Details = details is null ? null : JsonSerializer.SerializeToDocument(details),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}

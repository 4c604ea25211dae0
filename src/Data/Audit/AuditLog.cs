using System.Text.Json;
using AnnotateAnyone.Data.Persistence;
using Microsoft.EntityFrameworkCore;

namespace AnnotateAnyone.Data.Audit;

/// <summary>What to read of the audit trail; every part optional.</summary>
/// <param name="Action">An action ("user.roles_changed"), or a family of them ending in a dot ("user.").</param>
/// <param name="SubjectType">"user", "image", "release", "model_version", "attribute".</param>
/// <param name="SubjectId">An id of the subject; for users, their email also does.</param>
/// <param name="Actor">A user's email, or a name such as "system".</param>
public sealed record AuditFilter(string? Action = null, string? SubjectType = null, string? SubjectId = null, string? Actor = null);

/// <param name="ActorEmail">The email of the user who acted; null for "system" and workers.</param>
/// <param name="SubjectEmail">The email of the user the entry is about (subject type "user"); null for other subjects.</param>
public sealed record AuditEntry(long Id, DateTimeOffset At, string Actor, string? ActorEmail, string Action, string SubjectType, string SubjectId,
    string? SubjectEmail, JsonElement? Details);

/// <param name="Next">The <c>before</c> of the following page; null when there are no older entries.</param>
public sealed record AuditLogPage(IReadOnlyList<AuditEntry> Entries, long? Next);

/// <summary>Reads the audit trail newest first, a page at a time, with who acted by email.</summary>
public sealed class AuditLog(IDbContextFactory<AnnotateDbContext> contexts)
{
    public const int MaxTake = 500;

    private const string UserSubject = "user";

    /// <summary>A page size out of range or an email no user has throws <see cref="ArgumentException"/> saying so.</summary>
    public async Task<AuditLogPage> ReadAsync(AuditFilter filter, long? before, int take, CancellationToken cancellationToken)
    {
        if (PageSize.Problem(take, MaxTake, "entries") is { } tooMany) throw new ArgumentException(tooMany);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEvents.AsNoTracking().Where(e => e.Id < (before ?? long.MaxValue));
        if (Given(filter.Action) is { } action)
            query = action.EndsWith('.') ? query.Where(e => e.Action.StartsWith(action)) : query.Where(e => e.Action == action);
        if (Given(filter.SubjectType) is { } type) query = query.Where(e => e.SubjectType == type);
        if (Given(filter.SubjectId) is { } subject)
        {
            var subjectId = subject.Contains('@') ? await UserIdAsync(db, subject, cancellationToken) : subject;
            query = query.Where(e => e.SubjectId == subjectId);
        }
        if (Given(filter.Actor) is { } actor)
        {
            var actorId = actor.Contains('@') ? await UserIdAsync(db, actor, cancellationToken) : actor;
            query = query.Where(e => e.Actor == actorId);
        }
        var events = await query.OrderByDescending(e => e.Id).Take(take + 1).ToListAsync(cancellationToken);
        var page = events.Take(take).ToList();

        var userIds = page.SelectMany(e => e.SubjectType == UserSubject ? [e.Actor, e.SubjectId] : new[] { e.Actor })
            .Select(text => Guid.TryParse(text, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, cancellationToken);
        string? Email(string text) => Guid.TryParse(text, out var id) ? emails.GetValueOrDefault(id) : null;
        var entries = page.Select(e => new AuditEntry(e.Id, e.OccurredAt, e.Actor, Email(e.Actor), e.Action, e.SubjectType, e.SubjectId,
            e.SubjectType == UserSubject ? Email(e.SubjectId) : null, e.Details?.RootElement.Clone())).ToList();
        return new AuditLogPage(entries, events.Count > take ? page[^1].Id : null);
    }

    /// <summary>A filter as the text it is compared with is stored (see <see cref="PostgresText"/>): one holding NUL matches as such text would.</summary>
    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : PostgresText.Storable(text.Trim());

    private static async Task<string> UserIdAsync(AnnotateDbContext db, string email, CancellationToken cancellationToken)
    {
        var normalized = email.ToUpperInvariant();
        var id = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => (Guid?)u.Id).SingleOrDefaultAsync(cancellationToken);
        return id?.ToString() ?? throw new ArgumentException($"No user has the email {email}.");
    }
}

using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Audit;

namespace AnnotateAnyone.Data.Tests.Audit;

public sealed class AuditLogTests : DatabasePerTest
{
    private AuditLog Log => new(Database.Contexts);

    [Fact]
    public async Task Entries_come_newest_first_a_page_at_a_time_with_who_acted_by_email()
    {
        var lead = await Database.AddUserAsync("lead@example.org");
        var trail = new AuditTrail(Database.Contexts);
        await trail.RecordAsync(lead.ToString(), "gold.marked", "image", "7", null);
        await trail.RecordAsync("system", "release.published", "release", "1", new { Images = 3 });
        await trail.RecordAsync(lead.ToString(), "gold.unmarked", "image", "7", null);

        var first = await Log.ReadAsync(new AuditFilter(), null, 2, default);
        var second = await Log.ReadAsync(new AuditFilter(), first.Next, 2, default);

        Assert.Equal(["gold.unmarked", "release.published"], first.Entries.Select(e => e.Action));
        Assert.Equal(("lead@example.org", null), (first.Entries[0].ActorEmail, first.Entries[1].ActorEmail));
        Assert.Equal(3, first.Entries[1].Details!.Value.GetProperty("Images").GetInt32());
        Assert.Equal(["gold.marked"], second.Entries.Select(e => e.Action));
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Entries_are_found_by_action_family_subject_and_who_acted()
    {
        var lead = await Database.AddUserAsync("Lead@Example.org");
        var trail = new AuditTrail(Database.Contexts);
        await trail.RecordAsync(lead.ToString(), "gold.marked", "image", "7", null);
        await trail.RecordAsync(lead.ToString(), "gold.marked", "image", "8", null);
        await trail.RecordAsync("system", "gold.unmarked", "image", "7", null);
        await trail.RecordAsync(lead.ToString(), "routing.target", "attribute", "hair.color", new { target = 0.95 });

        async Task<string[]> FindAsync(AuditFilter filter) =>
            [.. (await Log.ReadAsync(filter, null, 10, default)).Entries.Select(e => $"{e.Action} {e.SubjectId}")];

        Assert.Equal(["gold.unmarked 7", "gold.marked 8", "gold.marked 7"], await FindAsync(new AuditFilter(Action: "gold.")));
        Assert.Equal(["gold.unmarked 7", "gold.marked 7"], await FindAsync(new AuditFilter(SubjectType: "image", SubjectId: "7")));
        Assert.Equal(["routing.target hair.color", "gold.marked 8", "gold.marked 7"], await FindAsync(new AuditFilter(Actor: "lead@example.org")));
        Assert.Equal(["gold.unmarked 7"], await FindAsync(new AuditFilter(Actor: "system")));
        // Text holding NUL is never stored as such (PostgreSQL cannot): a filter holding it finds nothing rather than failing.
        Assert.Empty(await FindAsync(new AuditFilter(Action: "gold\0", SubjectType: "im\0age", SubjectId: "7\0", Actor: "sys\0tem")));
    }

    [Fact]
    public async Task An_email_no_user_has_is_refused_naming_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Log.ReadAsync(new AuditFilter(Actor: "nobody@example.org"), null, 10, default));

        Assert.Equal("No user has the email nobody@example.org.", error.Message);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Audit;

public sealed class AuditApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_role_change_made_through_the_api_is_read_back_with_who_made_it()
    {
        var adminClient = await app.ApiClientAsync(Roles.Admin);
        var annotator = await app.CreateUserAsync(Roles.Annotator);
        Assert.Equal(HttpStatusCode.OK, (await adminClient.PutAsJsonAsync($"/api/users/{annotator.Id}/roles", new { roles = new[] { Roles.DataLead } })).StatusCode);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var page = await lead.GetFromJsonAsync<JsonElement>($"/api/audit?action=user.roles_changed&subjectType=user&subjectId={annotator.Id}");

        var entry = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.StartsWith("admin-", entry.GetProperty("actorEmail").GetString());
        Assert.Equal(Roles.DataLead, entry.GetProperty("details").GetProperty("After")[0].GetString());
    }

    [Fact]
    public async Task Giving_a_user_the_roles_they_have_or_the_lock_state_they_are_in_changes_nothing_and_is_not_audited()
    {
        var adminClient = await app.ApiClientAsync(Roles.Admin);
        var annotator = await app.CreateUserAsync(Roles.Annotator);
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var sameRoles = await adminClient.PutAsJsonAsync($"/api/users/{annotator.Id}/roles", new { roles = new[] { Roles.Annotator } });
        var unlocked = await adminClient.PostAsync($"/api/users/{annotator.Id}/unlock", null);
        (await adminClient.PostAsync($"/api/users/{annotator.Id}/lock", null)).EnsureSuccessStatusCode();
        var lockedAgain = await adminClient.PostAsync($"/api/users/{annotator.Id}/lock", null);

        Assert.All([sameRoles, unlocked, lockedAgain], r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var page = await lead.GetFromJsonAsync<JsonElement>($"/api/audit?action=user.&subjectType=user&subjectId={annotator.Id}");
        Assert.Equal(["user.locked"], page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()).Where(a => a != "user.created"));
    }

    [Fact]
    public async Task A_user_locked_out_for_a_while_by_failed_sign_ins_is_locked_for_good_on_request_and_let_in_on_an_unlock()
    {
        var adminClient = await app.ApiClientAsync(Roles.Admin);
        var annotator = await app.CreateUserAsync(Roles.Annotator);
        async Task<bool> LockedOutForAWhileAsync() => await app.Database.ScalarAsync("SELECT count(*) FROM users WHERE id = @id AND lockout_end > now() + interval '1 day'", ("id", annotator.Id)) == 0;
        await app.Database.ExecuteAsync("UPDATE users SET lockout_end = now() + interval '5 minutes' WHERE id = @id", ("id", annotator.Id));

        (await adminClient.PostAsync($"/api/users/{annotator.Id}/lock", null)).EnsureSuccessStatusCode();
        var lockedForGood = !await LockedOutForAWhileAsync();
        await app.Database.ExecuteAsync("UPDATE users SET lockout_end = now() + interval '5 minutes' WHERE id = @id", ("id", annotator.Id));
        var unlocked = await (await adminClient.PostAsync($"/api/users/{annotator.Id}/unlock", null)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(lockedForGood, "the lock kept the failed sign-ins' five minutes");
        Assert.False(unlocked.GetProperty("isLocked").GetBoolean());
    }

    [Theory]
    [InlineData("/api/audit?actor=nobody@example.org", "No user has the email nobody@example.org.")]
    [InlineData("/api/audit?take=501", "A page holds 1 to 500 entries.")]
    public async Task A_bad_filter_is_refused_saying_what_is_wrong(string path, string message)
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var detail = await Problem.DetailAsync(await lead.GetAsync(path), HttpStatusCode.BadRequest);

        Assert.Equal(message, detail);
    }
}

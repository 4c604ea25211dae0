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

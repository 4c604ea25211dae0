using System.Net;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Accounts;

/// <summary>Deny by default: every page and endpoint, for every role, through HTTP as a browser or API client would.</summary>
public sealed class RoleAccessTests(WebApp app) : IClassFixture<WebApp>
{
    [Theory]
    [InlineData(Roles.Annotator, "/admin/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/admin/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/admin/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Admin, "/admin/users", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/hangfire", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/hangfire", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/hangfire", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "/hangfire", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/account/tokens", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/review", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/review", HttpStatusCode.OK)]
    [InlineData(Roles.Ops, "/review", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/lead", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/lead/adjudicate", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/lead/taxonomy", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/lead", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/lead", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/lead/adjudicate", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/lead/taxonomy", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "/lead", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/lead/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/lead/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/lead/rounds", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/ingest", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/ingest", HttpStatusCode.OK)]
    [InlineData(Roles.Ops, "/ingest", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/images/1/history", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/ops", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/ops", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/ops", HttpStatusCode.OK)]
    [InlineData(Roles.Admin, "/ops", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/ops/models", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/ops/models", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/ops/jobs/1", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/audit", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/audit", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/lead/images", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/lead/images", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/lead/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/lead/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/lead/releases", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/releases", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/releases", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/releases/1", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/releases/1", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/releases/compare", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/releases/compare", HttpStatusCode.OK)]
    public async Task Pages_are_open_only_to_their_roles(string role, string path, HttpStatusCode expected)
    {
        var client = await app.SignedInAsync(role);
        Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task A_refused_page_tells_the_person_why()
    {
        var client = await app.SignedInAsync(Roles.Annotator);
        var response = await client.GetAsync("/admin/users");
        Assert.Contains("Access denied", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(Roles.Annotator, "/api/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/users", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Admin, "/api/users", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/jobs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/jobs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/jobs", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/workers", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/workers", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/tokens", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/hangfire", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/ingest/runs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/ingest/runs", HttpStatusCode.OK)]
    [InlineData(Roles.Ops, "/api/ingest/runs", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/lead/annotators", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/lead/agreement", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/lead/annotators", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/api/lead/agreement", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/gold", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/rounds", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/api/routing/policy", HttpStatusCode.NotFound)]
    [InlineData(Roles.Annotator, "/api/captioner/versions", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/captioner/versions", HttpStatusCode.OK)]
    [InlineData(Roles.Ops, "/api/captioner/versions", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/api/gold", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/taxonomy", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/images/1/history", HttpStatusCode.NotFound)]
    [InlineData(Roles.Annotator, "/api/images", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/images", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/images", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/audit", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/audit", HttpStatusCode.OK)]
    [InlineData(Roles.Ops, "/api/audit", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/queues", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/queues", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/jobs/1/logs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/metrics", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/metrics", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/metrics", HttpStatusCode.OK)]
    [InlineData(Roles.Annotator, "/api/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/releases", HttpStatusCode.OK)]
    [InlineData(Roles.DataLead, "/api/releases", HttpStatusCode.OK)]
    public async Task Api_endpoints_are_open_only_to_their_roles(string role, string path, HttpStatusCode expected)
    {
        var client = await app.ApiClientAsync(role);
        Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Annotator, "/api/proposals?model=m&version=1", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/taxonomy", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/ingest/runs", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/taxonomy", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/rounds", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/captioner/train", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/captioner/pre-annotate", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/captioner/versions/1/promote", HttpStatusCode.Forbidden)]
    [InlineData(Roles.DataLead, "/api/captioner/versions/1/promote", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/jobs/1/cancel", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/releases", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/releases/preview", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/releases/1/verify", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/releases/import", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/releases/diff", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/images/review", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/images/review", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Annotator, "/api/review/adjudication/claim", HttpStatusCode.Forbidden)]
    [InlineData(Roles.Ops, "/api/review/adjudication/claim", HttpStatusCode.Forbidden)]
    public async Task Api_writes_are_open_only_to_their_roles(string role, string path, HttpStatusCode expected)
    {
        var client = await app.ApiClientAsync(role);
        Assert.Equal(expected, (await client.PostAsync(path, new StringContent("[]", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task A_user_without_any_role_reaches_only_their_own_pages()
    {
        var client = await app.SignedInAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/admin/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }
}

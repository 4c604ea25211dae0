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
    public async Task Api_endpoints_are_open_only_to_their_roles(string role, string path, HttpStatusCode expected)
    {
        var client = await app.ApiClientAsync(role);
        Assert.Equal(expected, (await client.GetAsync(path)).StatusCode);
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

using System.Net;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Web.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Hosting;

/// <summary>The refusals the framework itself answers on the HTTP API say what was wrong, as the endpoints' own do.</summary>
public sealed class ApiRefusalTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_call_without_credentials_says_how_to_send_them()
    {
        var detail = await Problem.DetailAsync(await app.Client().GetAsync("/api/rounds"), HttpStatusCode.Unauthorized);
        Assert.Contains("Authorization: Bearer", detail);
    }

    [Fact]
    public async Task A_call_with_an_unknown_token_says_the_token_was_refused()
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "aat_notarealtoken");

        var detail = await Problem.DetailAsync(await client.GetAsync("/api/rounds"), HttpStatusCode.Unauthorized);

        Assert.Contains("unknown, expired or revoked", detail);
    }

    [Fact]
    public async Task A_call_the_callers_roles_do_not_allow_names_the_roles_it_needs_and_the_callers()
    {
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        var detail = await Problem.DetailAsync(await annotator.GetAsync("/api/rounds"), HttpStatusCode.Forbidden);

        Assert.Equal("GET /api/rounds needs the role Admin or DataLead. Your roles (Annotator) do not include it: ask an administrator.", detail);
    }

    [Fact]
    public async Task A_call_under_two_policies_names_only_the_roles_both_allow()
    {
        var annotator = await app.ApiClientAsync(Roles.Annotator);

        // Any role may see images; an image's current labels only those who oversee the work.
        var labels = await Problem.DetailAsync(await annotator.GetAsync("/api/images/1"), HttpStatusCode.Forbidden);
        var adjudication = await Problem.DetailAsync(await annotator.PostAsync("/api/review/adjudication/claim", null), HttpStatusCode.Forbidden);

        Assert.Equal("GET /api/images/1 needs the role Admin or DataLead or Ops. Your roles (Annotator) do not include it: ask an administrator.", labels);
        Assert.Equal("POST /api/review/adjudication/claim needs the role Admin or DataLead. Your roles (Annotator) do not include it: ask an administrator.", adjudication);
    }

    [Theory]
    [InlineData("/api/roundz")]
    [InlineData("/api/images/abc/thumbnail")]
    public async Task A_path_no_endpoint_answers_is_named(string path)
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var detail = await Problem.DetailAsync(await lead.GetAsync(path), HttpStatusCode.NotFound);

        Assert.StartsWith($"No endpoint answers GET {path}.", detail);
    }

    [Fact]
    public async Task A_method_the_path_does_not_take_names_the_ones_it_does()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var detail = await Problem.DetailAsync(await lead.DeleteAsync("/api/rounds"), HttpStatusCode.MethodNotAllowed);

        Assert.StartsWith("/api/rounds does not take DELETE; it takes GET, ", detail);
        Assert.Contains("POST", detail);
    }

    [Fact]
    public async Task Head_is_answered_wherever_get_is()
    {
        var lead = await app.ApiClientAsync(Roles.DataLead);

        var listing = await lead.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/rounds"));

        Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
        Assert.Equal("application/json", listing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Revoking_another_users_token_says_whose_it_is()
    {
        var owner = await app.CreateUserAsync(Roles.Annotator);
        var token = await app.Services.GetRequiredService<AccessTokens>().CreateAsync(owner.Id, "script", null, owner.Id);
        var other = await app.ApiClientAsync(Roles.Annotator);

        var detail = await Problem.DetailAsync(await other.DeleteAsync($"/api/tokens/{token.Token.Id}"), HttpStatusCode.Forbidden);

        Assert.Contains("another user's", detail);
    }
}

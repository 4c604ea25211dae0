using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Web.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Accounts;

public sealed class UsersApiTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var email = $"new-{Guid.NewGuid():N}@example.org";

        var response = await admin.PostAsJsonAsync("/api/users", new { email, password = WebApp.Password, roles = new[] { Roles.Annotator } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([Roles.Annotator], (await response.Content.ReadFromJsonAsync<UserSummary>())!.Roles);
        Assert.Equal("/", (await WebApp.SignInAsync(app.Browser(), email, WebApp.Password)).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Roles_are_read_in_any_case_and_each_given_once()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var user = await app.CreateUserAsync(Roles.Annotator);

        var response = await admin.PutAsJsonAsync($"/api/users/{user.Id}/roles", new { roles = new[] { "dataLead", "DATALEAD", " annotator" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Roles.Annotator, Roles.DataLead], (await response.Content.ReadFromJsonAsync<UserSummary>())!.Roles);
    }

    [Theory]
    [InlineData("Superuser", WebApp.Password, "Unknown role(s): Superuser")]
    [InlineData(Roles.Annotator, "short", "Passwords must be at least 10 characters")]
    public async Task A_bad_user_request_is_refused_with_the_reason(string role, string password, string reason)
    {
        var admin = await app.ApiClientAsync(Roles.Admin);

        var response = await admin.PostAsJsonAsync("/api/users", new { email = $"x-{Guid.NewGuid():N}@example.org", password, roles = new[] { role } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_same_email_cannot_be_used_twice()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var existing = await app.CreateUserAsync(Roles.Annotator);

        var response = await admin.PostAsJsonAsync("/api/users", new { email = existing.Email.ToUpperInvariant(), password = WebApp.Password });

        Assert.Equal($"A user with the email '{existing.Email.ToUpperInvariant()}' already exists.", await Problem.DetailAsync(response, HttpStatusCode.Conflict));
    }

    [Theory]
    [InlineData("PUT", "roles")]
    [InlineData("POST", "lock")]
    [InlineData("GET", "tokens")]
    public async Task A_user_id_that_no_user_has_is_not_found_naming_it(string method, string action)
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var nobody = Guid.NewGuid();

        using var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/users/{nobody}/{action}")
        {
            Content = method == "PUT" ? JsonContent.Create(new { roles = new[] { Roles.Ops } }) : null,
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains($"User {nobody} does not exist.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Changing_roles_changes_what_the_user_may_reach()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var user = await app.CreateUserAsync(Roles.Annotator);

        var response = await admin.PutAsJsonAsync($"/api/users/{user.Id}/roles", new { roles = new[] { Roles.Ops } });

        Assert.Equal([Roles.Ops], (await response.Content.ReadFromJsonAsync<UserSummary>())!.Roles);
        var client = app.Browser();
        await WebApp.SignInAsync(client, user.Email, WebApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }

    [Fact]
    public async Task A_locked_user_can_neither_sign_in_nor_use_tokens()
    {
        var admin = await app.ApiClientAsync(Roles.Admin);
        var user = await app.CreateUserAsync(Roles.Annotator);
        var token = await app.Services.GetRequiredService<AccessTokens>().CreateAsync(user.Id, "script", null, user.Id);

        await admin.PostAsync($"/api/users/{user.Id}/lock", null);

        var response = await WebApp.SignInAsync(app.Browser(), user.Email, WebApp.Password);
        Assert.Contains("error=locked", response.Headers.Location!.OriginalString);
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/tokens")).StatusCode);
    }
}

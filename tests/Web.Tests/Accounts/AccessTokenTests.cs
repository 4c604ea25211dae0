using System.Net;
using System.Net.Http.Json;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Web.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests.Accounts;

public sealed class AccessTokenTests(WebApp app) : IClassFixture<WebApp>
{
    private AccessTokens Tokens => app.Services.GetRequiredService<AccessTokens>();

    [Fact]
    public async Task A_token_authenticates_as_its_owner_with_the_owners_roles()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var client = ClientWith((await Tokens.CreateAsync(admin.Id, "script", null, admin.Id)).Secret);

        var users = await client.GetFromJsonAsync<List<UserSummary>>("/api/users");

        Assert.Contains(users!, u => u.Id == admin.Id);
    }

    [Fact]
    public async Task A_revoked_token_stops_working_at_once()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var created = await Tokens.CreateAsync(admin.Id, "script", null, admin.Id);
        var client = ClientWith(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);

        await Tokens.RevokeAsync(created.Token.Id, admin.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var admin = await app.CreateUserAsync(Roles.Admin);
        var created = await Tokens.CreateAsync(admin.Id, "old", TimeSpan.FromSeconds(-1), admin.Id);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(created.Secret).GetAsync("/api/users")).StatusCode);
    }

    [Theory]
    [InlineData("aat_notarealtoken")]
    [InlineData("something-else")]
    public async Task An_unknown_token_is_refused(string secret) =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClientWith(secret).GetAsync("/api/tokens")).StatusCode);

    [Fact]
    public async Task Only_the_hash_of_a_token_is_stored()
    {
        var user = await app.CreateUserAsync(Roles.Annotator);
        var created = await Tokens.CreateAsync(user.Id, "script", null, user.Id);

        var stored = (await Tokens.ListAsync(user.Id)).Single();
        Assert.Equal(32, stored.SecretHash.Length);
        Assert.Equal(created.Secret[..12], stored.Prefix);
    }

    [Fact]
    public async Task People_create_and_revoke_their_own_tokens_over_the_api()
    {
        var client = await app.ApiClientAsync(Roles.Annotator);

        var created = await (await client.PostAsJsonAsync("/api/tokens", new { name = "notebook", expiresInDays = 30 }))
            .Content.ReadFromJsonAsync<UsersApi.CreatedToken>();
        var withNew = ClientWith(created!.Secret);
        Assert.Equal(HttpStatusCode.OK, (await withNew.GetAsync("/api/tokens")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/tokens/{created.Token.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await withNew.GetAsync("/api/tokens")).StatusCode);
    }

    [Fact]
    public async Task Nobody_but_an_admin_revokes_someone_elses_token()
    {
        var owner = await app.CreateUserAsync(Roles.Annotator);
        var token = await Tokens.CreateAsync(owner.Id, "theirs", null, owner.Id);

        var stranger = await app.ApiClientAsync(Roles.Annotator);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.DeleteAsync($"/api/tokens/{token.Token.Id}")).StatusCode);

        var admin = await app.ApiClientAsync(Roles.Admin);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/tokens/{token.Token.Id}")).StatusCode);
    }

    [Theory]
    [InlineData("", null, "A token needs a name of 1 to 100 characters.")]
    [InlineData("   ", null, "A token needs a name of 1 to 100 characters.")]
    [InlineData("fine", 0, "'expiresInDays' must be between 1 and 3650, or left out for a token that does not expire.")]
    [InlineData("fine", 5000, "'expiresInDays' must be between 1 and 3650, or left out for a token that does not expire.")]
    public async Task A_token_request_with_a_bad_name_or_lifetime_gets_a_clear_400(string name, int? days, string reason)
    {
        var client = await app.ApiClientAsync(Roles.Annotator);

        var response = await client.PostAsJsonAsync("/api/tokens", new { name, expiresInDays = days });

        Assert.Equal(reason, await Problem.DetailAsync(response, HttpStatusCode.BadRequest));
    }

    private HttpClient ClientWith(string secret)
    {
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        return client;
    }
}

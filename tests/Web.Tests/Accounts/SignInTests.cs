using System.Net;
using AnnotateAnyone.Data.Accounts;

namespace AnnotateAnyone.Web.Tests.Accounts;

public sealed class SignInTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task A_page_request_without_a_session_is_sent_to_the_sign_in_page()
    {
        var response = await app.Browser().GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task An_api_request_without_credentials_gets_401()
    {
        var response = await app.Browser().GetAsync("/api/users");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_is_served_to_anyone()
    {
        var html = await app.Browser().GetStringAsync("/account/login");
        Assert.Contains("<h1>Sign in</h1>", html);
        Assert.Contains("__RequestVerificationToken", html);
    }

    [Fact]
    public async Task The_right_password_signs_in_with_an_http_only_strict_session_cookie()
    {
        var user = await app.CreateUserAsync(Roles.Annotator);
        var client = app.Browser();

        var response = await WebApp.SignInAsync(client, user.Email, WebApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("annotate.session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_returns_to_the_form_with_a_clear_message()
    {
        var user = await app.CreateUserAsync(Roles.Annotator);
        var client = app.Browser();

        var response = await WebApp.SignInAsync(client, user.Email, "wrong password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("The email or password is wrong.", page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_post_without_the_antiforgery_token_is_refused()
    {
        var user = await app.CreateUserAsync(Roles.Annotator);

        var response = await WebApp.SignInAsync(app.Browser(), user.Email, WebApp.Password, antiforgery: "forged");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var user = await app.CreateUserAsync(Roles.Annotator);
        var client = app.Browser();
        for (var i = 0; i < 5; i++) await WebApp.SignInAsync(client, user.Email, "wrong password");

        var response = await WebApp.SignInAsync(client, user.Email, WebApp.Password);

        Assert.Contains("error=locked", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("//evil.example.org/")]
    [InlineData("https://evil.example.org/")]
    [InlineData("/\\evil.example.org")]
    public async Task After_sign_in_the_browser_never_leaves_the_site(string returnUrl)
    {
        var user = await app.CreateUserAsync(Roles.Annotator);
        var client = app.Browser();
        var token = await WebApp.AntiforgeryTokenAsync(client, "/account/login");

        var response = await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = user.Email, ["Password"] = WebApp.Password, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var client = await app.SignedInAsync(Roles.Annotator);
        var token = await WebApp.AntiforgeryTokenAsync(client, "/account/login");

        await client.PostAsync("/account/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }
}

public sealed class SignInRateLimitTests(SignInRateLimitTests.LimitedApp app) : IClassFixture<SignInRateLimitTests.LimitedApp>
{
    public sealed class LimitedApp : WebApp
    {
        protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["Accounts:SignInAttemptsPerMinute"] = "3",
        };
    }

    [Fact]
    public async Task Sign_in_attempts_over_the_limit_get_429()
    {
        var client = app.Browser();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await WebApp.SignInAsync(client, "nobody@example.org", "whatever")).StatusCode);

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
    }
}

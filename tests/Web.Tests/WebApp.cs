using System.Net;
using System.Text.RegularExpressions;
using AnnotateAnyone.Data.Accounts;
using AnnotateAnyone.Data.Taxonomy;
using AnnotateAnyone.Web.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AnnotateAnyone.Web.Tests;

/// <summary>
/// The Web host on its own migrated database and storage folder, served by Kestrel on a free loopback port.
/// Subclasses add settings for tests that need them (a lower sign-in limit, say).
/// </summary>
public class WebApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct horse battery";

    private readonly TestDatabase _database = new();
    private readonly string _storage = Path.Combine(Path.GetTempPath(), $"aa-web-{Guid.NewGuid():N}");

    public TestDatabase Database => _database;

    public WebApp() => UseKestrel(0);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        StartServer();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
        if (Directory.Exists(_storage)) Directory.Delete(_storage, recursive: true);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Annotate", _database.ConnectionString);
        builder.UseSetting("Storage:Path", _storage);
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        // Every test client signs in from 127.0.0.1; the limit itself has a test class of its own.
        builder.UseSetting("Accounts:SignInAttemptsPerMinute", "10000");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    protected virtual IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>();

    /// <summary>
    /// A plain HTTP client with a cookie jar that does not follow redirects, so tests see each redirect.
    /// (With Kestrel, the factory's own clients follow redirects whatever their options say.)
    /// </summary>
    public HttpClient Browser() => Client(cookies: true);

    public HttpClient Client(bool cookies = false) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies }) { BaseAddress = ClientOptions.BaseAddress };

    public async Task<UserSummary> CreateUserAsync(params string[] roles)
    {
        var email = $"{(roles.Length == 0 ? "norole" : string.Join("-", roles))}-{Guid.NewGuid():N}@example.org".ToLowerInvariant();
        return await Services.GetRequiredService<UserDirectory>().CreateAsync(email, Password, roles, null, "test");
    }

    /// <summary>A browser-like client signed in through the real sign-in form (antiforgery token included).</summary>
    public async Task<HttpClient> SignedInAsync(params string[] roles)
    {
        var user = await CreateUserAsync(roles);
        var client = Browser();
        var response = await SignInAsync(client, user.Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        return client;
    }

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string? antiforgery = null)
    {
        antiforgery ??= await AntiforgeryTokenAsync(client, "/account/login");
        return await client.PostAsync("/account/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = antiforgery,
        }));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
    }

    /// <summary>The active taxonomy version, indexed by key: what the tests' label rows are written under.</summary>
    public async Task<TaxonomyIndex> ActiveTaxonomyAsync() => new(await Services.GetRequiredService<TaxonomyStore>().GetActiveAsync());

    /// <summary>An API client authenticated with a fresh personal access token of a user with these roles.</summary>
    public async Task<HttpClient> ApiClientAsync(params string[] roles) => await ApiClientOfAsync(await CreateUserAsync(roles));

    /// <summary>An HTTP API client calling with a personal access token of <paramref name="user"/>.</summary>
    public async Task<HttpClient> ApiClientOfAsync(UserSummary user)
    {
        var token = await Services.GetRequiredService<AccessTokens>().CreateAsync(user.Id, "test", null, user.Id);
        var client = Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token.Secret);
        return client;
    }
}

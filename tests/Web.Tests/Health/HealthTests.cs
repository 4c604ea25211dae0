using System.Net;
using System.Text.Json;

namespace AnnotateAnyone.Web.Tests.Health;

public sealed class HealthTests(WebApp app) : IClassFixture<WebApp>
{
    [Fact]
    public async Task Health_reports_postgres_storage_and_hangfire_to_anyone()
    {
        var response = await app.Browser().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("storage").GetProperty("status").GetString());
        // This test host runs no Worker: Hangfire's storage answers, but nobody serves the queues.
        Assert.Equal("Degraded", checks.GetProperty("hangfire").GetProperty("status").GetString());
        Assert.Contains("no Worker", checks.GetProperty("hangfire").GetProperty("description").GetString());
    }
}

/// <summary>Runs the Web host on a PostgreSQL cluster of its own, then stops that cluster under it.</summary>
public sealed class HealthWhenPostgresStopsTests : IAsyncLifetime
{
    private readonly PrivatePostgres _postgres = new();
    private WebOnPrivatePostgres? _app;

    public async Task InitializeAsync()
    {
        await _postgres.StartAsync();
        _app = new WebOnPrivatePostgres(_postgres.ConnectionString);
        _app.StartServer();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Fact]
    public async Task Health_turns_unhealthy_with_503_when_postgres_stops()
    {
        var client = _app!.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        await _postgres.StopAsync();

        var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Contains("PostgreSQL does not answer", checks.GetProperty("postgres").GetProperty("description").GetString());
    }

    private sealed class WebOnPrivatePostgres(string connectionString) : Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            UseKestrel(0);
            builder.UseSetting("ConnectionStrings:Annotate", connectionString);
            builder.UseSetting("Urls", "http://127.0.0.1:0");
            builder.UseSetting("Storage:Path", Path.Combine(Path.GetTempPath(), $"aa-health-{Guid.NewGuid():N}"));
        }
    }
}

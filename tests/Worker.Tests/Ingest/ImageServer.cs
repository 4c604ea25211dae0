using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AnnotateAnyone.Worker.Tests.Ingest;

/// <summary>
/// A local HTTP server that serves pictures, redirects, slow, oversized and broken-off answers, listening on every
/// loopback address so redirects can cross from 127.0.0.1 to 127.0.0.2.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ImageServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public string Url(string path, string host = "127.0.0.1") => $"http://{host}:{Port}{path}";

    public static async Task<ImageServer> StartAsync(byte[] picture)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://0.0.0.0:0");
        var app = builder.Build();
        app.MapGet("/picture.jpg", () => Results.Bytes(picture, "image/jpeg"));
        app.MapGet("/missing.jpg", () => Results.NotFound());
        app.MapGet("/redirect/{hops:int}", (int hops, HttpContext context) =>
            Results.Redirect(hops <= 1 ? "/picture.jpg" : $"/redirect/{hops - 1}"));
        app.MapGet("/redirect-to", (string target) => Results.Redirect(target));
        app.MapGet("/big-declared", (HttpContext context) =>
        {
            context.Response.ContentLength = 10_000_000;
            return context.Response.Body.WriteAsync(new byte[1000]).AsTask();
        });
        app.MapGet("/big-chunked", async (HttpContext context) =>
        {
            for (var i = 0; i < 200; i++) await context.Response.Body.WriteAsync(new byte[64 * 1024]);
        });
        app.MapGet("/cut-short", async (HttpContext context) =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(picture.AsMemory(0, 1000));
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        app.MapGet("/slow", async (HttpContext context) =>
        {
            await context.Response.Body.WriteAsync(new byte[10]);
            await context.Response.Body.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
        });
        await app.StartAsync();
        var server = new ImageServer(app);
        server.Port = new Uri(app.Urls.First().Replace("0.0.0.0", "127.0.0.1")).Port;
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

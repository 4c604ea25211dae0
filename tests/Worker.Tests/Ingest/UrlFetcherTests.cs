using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest;
using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Tests.Ingest;

public sealed class UrlFetcherTests : IAsyncLifetime
{
    private static readonly byte[] Picture = TestImages.Jpeg(seed: 40);
    private ImageServer _server = null!;

    public async Task InitializeAsync() => _server = await ImageServer.StartAsync(Picture);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static UrlFetcher Fetcher(string[] allowed, long maxBytes = 1_000_000, int maxRedirects = 3, int timeoutSeconds = 5) =>
        new(new UrlFetchOptions { AllowedNetworks = allowed, MaxRedirects = maxRedirects, Timeout = TimeSpan.FromSeconds(timeoutSeconds) }, maxBytes);

    private static async Task<RejectReason> RefusalAsync(UrlFetcher fetcher, string url) =>
        (await Assert.ThrowsAsync<CandidateUnavailableException>(() => fetcher.FetchAsync(new Uri(url), CancellationToken.None))).Reason;

    [Fact]
    public async Task An_allowed_address_is_downloaded_through_redirects()
    {
        using var fetcher = Fetcher(["127.0.0.1/32"]);

        await using var body = await fetcher.FetchAsync(new Uri(_server.Url("/redirect/2")), CancellationToken.None);

        var copy = new MemoryStream();
        await body.CopyToAsync(copy);
        Assert.Equal(Picture, copy.ToArray());
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Loopback_is_refused_unless_allowed(string host)
    {
        using var fetcher = Fetcher([]);
        Assert.Equal(RejectReason.BlockedAddress, await RefusalAsync(fetcher, _server.Url("/picture.jpg", host)));
    }

    [Theory]
    [InlineData("http://10.1.2.3/picture.jpg")]
    [InlineData("http://192.168.1.1/picture.jpg")]
    [InlineData("http://172.16.0.9/picture.jpg")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/picture.jpg")]
    [InlineData("http://[fe80::1]/picture.jpg")]
    [InlineData("http://[::ffff:10.1.1.1]/picture.jpg")]
    public async Task Private_link_local_and_mapped_addresses_are_refused_before_connecting(string url)
    {
        using var fetcher = Fetcher(["127.0.0.1/32"]);
        Assert.Equal(RejectReason.BlockedAddress, await RefusalAsync(fetcher, url));
    }

    [Fact]
    public async Task Every_redirect_is_checked_again()
    {
        using var fetcher = Fetcher(["127.0.0.1/32"]);
        var inside = _server.Url("/picture.jpg", "127.0.0.2");

        Assert.Equal(RejectReason.BlockedAddress, await RefusalAsync(fetcher, _server.Url($"/redirect-to?target={Uri.EscapeDataString(inside)}")));
    }

    [Fact]
    public async Task Too_many_redirects_are_refused()
    {
        using var fetcher = Fetcher(["127.0.0.1/32"], maxRedirects: 3);
        Assert.Equal(RejectReason.DownloadFailed, await RefusalAsync(fetcher, _server.Url("/redirect/5")));
    }

    [Theory]
    [InlineData("/big-declared")]
    [InlineData("/big-chunked")]
    public async Task Downloads_over_the_size_limit_are_stopped(string path)
    {
        using var fetcher = Fetcher(["127.0.0.1/32"], maxBytes: 1_000_000);
        Assert.Equal(RejectReason.TooLarge, await RefusalAsync(fetcher, _server.Url(path)));
    }

    [Fact]
    public async Task A_download_over_the_time_limit_is_abandoned()
    {
        using var fetcher = Fetcher(["127.0.0.1/32"], timeoutSeconds: 1);
        var error = await Assert.ThrowsAsync<CandidateUnavailableException>(() => fetcher.FetchAsync(new Uri(_server.Url("/slow")), CancellationToken.None));
        Assert.Equal(RejectReason.DownloadFailed, error.Reason);
        Assert.Contains("longer than 1 s", error.Message);
    }

    [Fact]
    public async Task An_error_status_is_reported()
    {
        using var fetcher = Fetcher(["127.0.0.1/32"]);
        var error = await Assert.ThrowsAsync<CandidateUnavailableException>(() => fetcher.FetchAsync(new Uri(_server.Url("/missing.jpg")), CancellationToken.None));
        Assert.Contains("404", error.Message);
    }
}

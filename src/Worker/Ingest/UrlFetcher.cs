using System.Net;
using System.Net.Sockets;
using AnnotateAnyone.Data.Ingest;
using AnnotateAnyone.Worker.Ingest.Sources;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// Downloads one URL for ingest, defensively: every connection (the first and each redirect's) goes only to
/// addresses the <see cref="AddressPolicy"/> allows, checked after DNS resolution so a name cannot point
/// inside the network; redirects are followed by hand up to a limit; size and time are capped.
/// </summary>
public sealed class UrlFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly UrlFetchOptions _options;
    private readonly long _maxBytes;

    public UrlFetcher(UrlFetchOptions options, long maxBytes)
    {
        _options = options;
        _maxBytes = maxBytes;
        var policy = new AddressPolicy(options.AllowedNetworks);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            ConnectCallback = (context, cancellationToken) => ConnectAsync(policy, context.DnsEndPoint, cancellationToken),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("AnnotateAnyone-Ingest/1.0");
    }

    public async Task<Stream> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            var current = url;
            for (var hop = 0; ; hop++)
            {
                if (current.Scheme is not ("http" or "https"))
                    throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"{current} is not an http or https address.");
                using var response = await _http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
                {
                    if (hop >= _options.MaxRedirects)
                        throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"More than {_options.MaxRedirects} redirects, the last to {location}.");
                    current = new Uri(current, location);
                    continue;
                }
                if (!response.IsSuccessStatusCode)
                    throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"The server answered {(int)response.StatusCode} {response.ReasonPhrase} for {current}.");
                if (response.Content.Headers.ContentLength > _maxBytes)
                    throw new CandidateUnavailableException(RejectReason.TooLarge, $"The server announces {response.Content.Headers.ContentLength:N0} bytes, over the limit of {_maxBytes:N0}.");
                return await ReadCappedAsync(await response.Content.ReadAsStreamAsync(timeout.Token), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"The download took longer than {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e) when (e.InnerException is BlockedAddressException blocked)
        {
            throw new CandidateUnavailableException(RejectReason.BlockedAddress, blocked.Message, e);
        }
        catch (HttpRequestException e)
        {
            throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"Download of {url} failed: {e.Message}", e);
        }
        catch (IOException e)
        {
            // The connection dropped after the headers, part-way through the body.
            throw new CandidateUnavailableException(RejectReason.DownloadFailed, $"Download of {url} broke off: {e.Message}", e);
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<Stream> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[1 << 16];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > _maxBytes)
                throw new CandidateUnavailableException(RejectReason.TooLarge, $"The download passed the limit of {_maxBytes:N0} bytes and was stopped.");
            buffer.Write(chunk, 0, read);
        }
        buffer.Position = 0;
        return buffer;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static async ValueTask<Stream> ConnectAsync(AddressPolicy policy, DnsEndPoint endpoint, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(policy.IsAllowed).ToArray();
        if (allowed.Length == 0) throw new BlockedAddressException(endpoint.Host, addresses);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

public sealed class BlockedAddressException(string host, IEnumerable<IPAddress> addresses)
    : Exception($"'{host}' resolves to {string.Join(", ", addresses)}: private, loopback and link-local addresses are refused (Ingest:Urls:AllowedNetworks can allow a network).");

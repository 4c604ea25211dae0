using System.Net;
using System.Net.Sockets;

namespace AnnotateAnyone.Worker.Ingest;

/// <summary>
/// Which addresses URL ingest may connect to: public ones, plus the networks an operator allowed. Private,
/// loopback, link-local and other special ranges are refused, so a URL list cannot reach inside the network
/// the Workers run in (cloud metadata services, databases, admin pages).
/// </summary>
public sealed class AddressPolicy(IEnumerable<string> allowedNetworks)
{
    private static readonly IPNetwork[] Special =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly IPNetwork[] _allowed = allowedNetworks.Select(IPNetwork.Parse).ToArray();

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (_allowed.Any(n => n.Contains(address))) return true;
        return !Special.Any(n => n.BaseAddress.AddressFamily == address.AddressFamily && n.Contains(address))
               && address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6;
    }
}

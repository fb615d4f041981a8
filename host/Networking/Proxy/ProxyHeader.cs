using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace PluggableEcho.Host.Networking.Proxy;

/// <summary>A PROXY protocol header as parsed: its length, and the client it names, if any.</summary>
/// <param name="Length">Its bytes, from the first to its end; the client's own bytes follow.</param>
/// <param name="Source">The client; <see cref="ProxyAddress.None"/> when the header names none
/// (v2 <c>LOCAL</c>, a balancer's health check; v1 <c>UNKNOWN</c>; an unspecified or Unix family):
/// such a connection is served as an unproxied one.</param>
internal readonly record struct ProxyHeader(int Length, ProxyAddress Source);

/// <summary>An IPv4 or IPv6 address and port, held without an allocation until
/// <see cref="ToEndPoint"/> is asked for.</summary>
internal struct ProxyAddress
{
    private AddressBytes _bytes;

    public static ProxyAddress None => default;

    public AddressFamily Family { get; private set; }

    public ushort Port { get; private set; }

    public readonly bool IsNone => Family == AddressFamily.Unspecified;

    /// <param name="address">4 bytes for IPv4, 16 for IPv6, in network order.</param>
    public static ProxyAddress From(ReadOnlySpan<byte> address, ushort port)
    {
        var parsed = new ProxyAddress
        {
            Family = address.Length == 4 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6,
            Port = port,
        };
        address.CopyTo(parsed._bytes);
        return parsed;
    }

    /// <summary>The client as the rest of the server knows it; null for <see cref="None"/>. An
    /// IPv4 client a dual-stack balancer names as <c>::ffff:a.b.c.d</c> is given as <c>a.b.c.d</c>.</summary>
    public readonly IPEndPoint? ToEndPoint()
    {
        if (IsNone)
        {
            return null;
        }

        ReadOnlySpan<byte> bytes = _bytes;
        var address = new IPAddress(Family == AddressFamily.InterNetwork ? bytes[..4] : bytes);
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, Port);
    }

    [InlineArray(16)]
    private struct AddressBytes
    {
        private byte _first;
    }
}

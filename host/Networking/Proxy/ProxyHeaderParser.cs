using System.Buffers.Binary;

namespace PluggableEcho.Host.Networking.Proxy;

internal enum ProxyHeaderStatus
{
    /// <summary>A header so far, not whole yet.</summary>
    Incomplete,

    Whole,

    /// <summary>Not a header the listener takes: the connection must go.</summary>
    Refused,
}

/// <summary>
/// Reads the PROXY protocol header (v1 text, v2 binary; haproxy.org's proxy-protocol.txt) that a
/// load balancer sends first on a connection. Bounded: a header is refused as soon as its first
/// bytes cannot begin one, and never read past <see cref="MaxV1Bytes"/> or
/// <see cref="MaxV2Bytes"/>. Allocates nothing.
/// </summary>
internal static class ProxyHeaderParser
{
    /// <summary>The longest v1 line the protocol allows, CRLF included.</summary>
    public const int MaxV1Bytes = 107;

    /// <summary>The longest v2 header taken: room for the addresses and the TLVs balancers add
    /// (TLS details, a unique id, a cloud endpoint id), far below the 64 KiB the length field allows.</summary>
    public const int MaxV2Bytes = 2048;

    private const int V2FixedBytes = 16;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static ReadOnlySpan<byte> V1Start => "PROXY "u8;

    /// <param name="input">The connection's bytes from its first.</param>
    public static ProxyHeaderStatus TryParse(ReadOnlySpan<byte> input, ProxyProtocol accepted, out ProxyHeader header, out ProxyHeaderProblem problem)
    {
        header = default;
        problem = ProxyHeaderProblem.None;
        if (input.IsEmpty)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        bool v2 = BeginsAs(input, V2Signature);
        if (!v2 && !BeginsAs(input, V1Start))
        {
            return Refuse(ProxyHeaderProblem.Missing, out problem);
        }

        if (accepted == (v2 ? ProxyProtocol.V1 : ProxyProtocol.V2))
        {
            return Refuse(ProxyHeaderProblem.WrongVersion, out problem);
        }

        return v2 ? ParseV2(input, out header, out problem) : ParseV1(input, out header, out problem);
    }

    /// <summary>Whether <paramref name="input"/> starts with <paramref name="start"/>, or with as
    /// much of it as it holds.</summary>
    private static bool BeginsAs(ReadOnlySpan<byte> input, ReadOnlySpan<byte> start) =>
        input.Length >= start.Length ? input.StartsWith(start) : start.StartsWith(input);

    private static ProxyHeaderStatus Refuse(ProxyHeaderProblem why, out ProxyHeaderProblem problem)
    {
        problem = why;
        return ProxyHeaderStatus.Refused;
    }

    /// <summary><c>PROXY TCP4 192.0.2.1 198.51.100.2 51234 443\r\n</c>, or <c>PROXY UNKNOWN …\r\n</c>.</summary>
    private static ProxyHeaderStatus ParseV1(ReadOnlySpan<byte> input, out ProxyHeader header, out ProxyHeaderProblem problem)
    {
        header = default;
        problem = ProxyHeaderProblem.None;
        int newline = input[..Math.Min(input.Length, MaxV1Bytes)].IndexOf((byte)'\n');
        if (newline < 0)
        {
            return input.Length >= MaxV1Bytes ? Refuse(ProxyHeaderProblem.V1TooLong, out problem) : ProxyHeaderStatus.Incomplete;
        }

        if (input[newline - 1] != '\r')
        {
            return Refuse(ProxyHeaderProblem.Malformed, out problem);
        }

        ReadOnlySpan<byte> fields = input[V1Start.Length..(newline - 1)];
        if (fields.StartsWith("UNKNOWN"u8))
        {
            // Whatever follows is to be ignored: the balancer could not tell who the client is.
            header = new ProxyHeader(newline + 1, ProxyAddress.None);
            return fields.Length == 7 || fields[7] == ' ' ? ProxyHeaderStatus.Whole : Refuse(ProxyHeaderProblem.Malformed, out problem);
        }

        if (!V1Text.TryParseAddresses(fields, out ProxyAddress source))
        {
            return Refuse(ProxyHeaderProblem.Malformed, out problem);
        }

        header = new ProxyHeader(newline + 1, source);
        return ProxyHeaderStatus.Whole;
    }

    /// <summary>The signature, version and command, family, length, addresses, then TLVs: skipped
    /// whole, unchecked (a CRC32C one included), since nothing here uses them.</summary>
    private static ProxyHeaderStatus ParseV2(ReadOnlySpan<byte> input, out ProxyHeader header, out ProxyHeaderProblem problem)
    {
        header = default;
        problem = ProxyHeaderProblem.None;
        if (input.Length < V2FixedBytes)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        int version = input[12] >> 4;
        int command = input[12] & 0x0F;
        if (version != 2 || command > 1)
        {
            return Refuse(ProxyHeaderProblem.Malformed, out problem);
        }

        int length = V2FixedBytes + BinaryPrimitives.ReadUInt16BigEndian(input[14..]);
        if (length > MaxV2Bytes)
        {
            return Refuse(ProxyHeaderProblem.V2TooLong, out problem);
        }

        if (input.Length < length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        ReadOnlySpan<byte> addresses = input[V2FixedBytes..length];
        const int local = 0;
        if (command == local)
        {
            // The balancer's own connection (a health check): its family and addresses mean nothing.
            header = new ProxyHeader(length, ProxyAddress.None);
            return ProxyHeaderStatus.Whole;
        }

        switch (input[13])
        {
            case 0x00: // UNSPEC: served as unproxied, as the protocol asks.
            case 0x31 when addresses.Length >= 216: // A Unix socket: no address a client would know itself by.
                header = new ProxyHeader(length, ProxyAddress.None);
                return ProxyHeaderStatus.Whole;
            case 0x11 when addresses.Length >= 12: // TCP over IPv4: source, destination, their ports.
                header = new ProxyHeader(length, ProxyAddress.From(addresses[..4], BinaryPrimitives.ReadUInt16BigEndian(addresses[8..])));
                return ProxyHeaderStatus.Whole;
            case 0x21 when addresses.Length >= 36: // TCP over IPv6.
                header = new ProxyHeader(length, ProxyAddress.From(addresses[..16], BinaryPrimitives.ReadUInt16BigEndian(addresses[32..])));
                return ProxyHeaderStatus.Whole;
            case 0x12 or 0x22 or 0x32:
                return Refuse(ProxyHeaderProblem.NotStream, out problem);
            default:
                return Refuse(ProxyHeaderProblem.Malformed, out problem);
        }
    }
}

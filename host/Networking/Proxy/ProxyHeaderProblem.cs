namespace PluggableEcho.Host.Networking.Proxy;

/// <summary>Why a connection's PROXY header was refused.</summary>
internal enum ProxyHeaderProblem
{
    None,

    /// <summary>The first bytes are no PROXY header's: a client connecting directly, say.</summary>
    Missing,

    /// <summary>A header of the version the listener does not take.</summary>
    WrongVersion,

    /// <summary>A v1 line longer than the protocol allows (<see cref="ProxyHeaderParser.MaxV1Bytes"/>).</summary>
    V1TooLong,

    /// <summary>A v2 header longer than the server takes (<see cref="ProxyHeaderParser.MaxV2Bytes"/>).</summary>
    V2TooLong,

    /// <summary>Begun as a header, not written as one.</summary>
    Malformed,

    /// <summary>A v2 header for a datagram connection.</summary>
    NotStream,

    /// <summary>The client closed, or stayed silent, before its header was whole.</summary>
    Incomplete,
}

internal static class ProxyHeaderProblems
{
    /// <summary>For logs: what the client did, after "a connection from 10.0.0.7:51234 …".</summary>
    public static string Describe(ProxyHeaderProblem problem, ProxyProtocol expected) => problem switch
    {
        ProxyHeaderProblem.Missing => $"sent no PROXY header (proxy_protocol: {Name(expected)})",
        ProxyHeaderProblem.WrongVersion => $"sent a PROXY header of the other version (proxy_protocol: {Name(expected)})",
        ProxyHeaderProblem.V1TooLong => $"sent a PROXY v1 line longer than the {ProxyHeaderParser.MaxV1Bytes} bytes the protocol allows",
        ProxyHeaderProblem.V2TooLong => $"sent a PROXY v2 header longer than the {ProxyHeaderParser.MaxV2Bytes} bytes taken",
        ProxyHeaderProblem.NotStream => "sent a PROXY header for a datagram connection",
        ProxyHeaderProblem.Incomplete => "ended or went silent before its PROXY header was whole",
        _ => "sent a malformed PROXY header",
    };

    /// <summary>As the config writes it.</summary>
    public static string Name(ProxyProtocol protocol) => protocol.ToString().ToLowerInvariant();
}

namespace PluggableEcho.Host.Networking.Proxy;

/// <summary>Which PROXY protocol header a listener expects before a client's first byte: one a
/// load balancer sends to say who the client is.</summary>
internal enum ProxyProtocol
{
    /// <summary>No header: the client is the socket's peer.</summary>
    Off,

    /// <summary>The text header, <c>PROXY TCP4 …\r\n</c>.</summary>
    V1,

    /// <summary>The binary header, with its 12-byte signature.</summary>
    V2,

    /// <summary>Either, told apart by their first byte.</summary>
    Any,
}

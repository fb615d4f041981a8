namespace PluggableEcho.Host.Networking;

/// <summary>Where a connection is in its life. Each state says what is read and what ends it.</summary>
internal enum ConnectionState
{
    /// <summary>On a listener with <c>proxy_protocol</c>: the balancer's header, which names the
    /// client, comes before any of the client's bytes. Nothing reaches the pipeline until it is
    /// whole; a wrong one, or none within <c>proxy_header_timeout</c>, closes the connection.</summary>
    AwaitingProxyHeader,

    /// <summary>Reading messages and sending their replies.</summary>
    Open,

    /// <summary>No further input is taken (a message too long, an unframeable one, a step that
    /// closes): the replies before it still go out, then the replies end. Input is read and
    /// dropped; the linger deadline runs.</summary>
    Finishing,

    /// <summary>The client has ended its input: what is left of the replies goes out, then the
    /// connection closes.</summary>
    HalfClosed,

    /// <summary>Our sending side is shut. Input is read and dropped until the client closes too,
    /// or the linger deadline: closing on unread input would reset the connection and lose replies
    /// still on their way to it.</summary>
    Lingering,

    Closed,
}

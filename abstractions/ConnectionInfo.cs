using System.Net;

namespace PluggableEcho.Abstractions;

/// <summary>The connection a message came on, as an <see cref="IConnectionTransform"/> sees it.</summary>
public sealed class ConnectionInfo
{
    /// <summary>What <see cref="IConnectionTransform"/>'s plain <c>Transform</c> passes: no connection.</summary>
    public static readonly ConnectionInfo None = new(0, null);

    public ConnectionInfo(long id, EndPoint? remoteEndPoint)
    {
        Id = id;
        RemoteEndPoint = remoteEndPoint;
    }

    /// <summary>
    /// Unique among the connections of one server process, from 1 up; unlike a socket handle it is
    /// never reused. 0 means no connection.
    /// </summary>
    public long Id { get; }

    /// <summary>The client's address and port, when known.</summary>
    public EndPoint? RemoteEndPoint { get; }
}

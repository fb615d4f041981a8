namespace PluggableEcho.Host.Networking;

/// <summary>Which readiness poller the loops use.</summary>
internal enum PollerKind
{
    /// <summary>epoll on Linux, select elsewhere.</summary>
    Auto,

    /// <summary>Linux's epoll: cost proportional to the ready sockets, not the watched ones.</summary>
    Epoll,

    /// <summary><see cref="System.Net.Sockets.Socket.Select"/>: portable, cost proportional to the watched sockets.</summary>
    Select,
}

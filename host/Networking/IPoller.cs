using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>Readiness polling over sockets. Used from the loop's thread only, except Wake.</summary>
internal interface IPoller : IDisposable
{
    void Add(Socket socket, Readiness interest);

    void Change(Socket socket, Readiness interest);

    /// <summary>Stops watching a socket; call it before the socket is closed. One that is not
    /// watched is no error.</summary>
    void Remove(Socket socket);

    /// <summary>Blocks until a socket is ready, <see cref="Wake"/> is called, or the timeout passes
    /// (-1: no timeout). Fills <paramref name="fired"/> and returns how many it filled.</summary>
    int Wait(Span<PollEvent> fired, int timeoutMilliseconds);

    /// <summary>Makes a blocked <see cref="Wait"/> return soon. Safe from any thread.</summary>
    void Wake();
}

internal static class Pollers
{
    /// <summary>What <see cref="PollerKind.Auto"/> stands for on this system.</summary>
    public static PollerKind Resolve(PollerKind kind) =>
        kind == PollerKind.Auto ? (EpollPoller.IsSupported ? PollerKind.Epoll : PollerKind.Select) : kind;

    public static IPoller Create(PollerKind kind) => kind switch
    {
        PollerKind.Epoll when EpollPoller.IsSupported => new EpollPoller(),
        PollerKind.Epoll => throw new PlatformNotSupportedException("poller: epoll needs Linux; use auto or select"),
        PollerKind.Select => new SelectPoller(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "resolve auto first"),
    };
}

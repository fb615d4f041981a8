using System.Net;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>One address the server accepts clients on, and how it serves them.</summary>
/// <param name="Name">For logs: <c>listener 0</c>, say.</param>
/// <param name="CreatePipeline">Called once per loop: each loop runs pipelines of its own.</param>
/// <param name="ProxyProtocol">The PROXY header a balancer in front sends first, if any.</param>
internal sealed record ListenerOptions(
    string Name,
    IPEndPoint Address,
    IFramer Framer,
    Func<IMessagePipeline> CreatePipeline,
    ConnectionLimits Limits,
    ProxyProtocol ProxyProtocol = ProxyProtocol.Off);

/// <summary>How the server listens and runs its loops.</summary>
/// <param name="Loops">How many event loops, each on its own thread; at least one.</param>
/// <param name="ShutdownTimeout">How long a stopping server lets its clients take the replies
/// still queued for them.</param>
/// <param name="Spin">How long a loop polls without sleeping after activity: a client that
/// answers within it is served without the cost of waking a sleeping thread. Zero: never.</param>
/// <param name="StepTimeout">A loop in one step (one socket's handler) longer than this is
/// reported stuck (<see cref="LoopWatchdog"/>). Zero: never.</param>
/// <param name="MaxBufferedBytes">What all connections' buffers (unfinished input, unsent
/// output) may hold together; each loop gets an equal share.</param>
internal sealed record ServerOptions(
    IReadOnlyList<ListenerOptions> Listeners,
    int Loops,
    PollerKind Poller,
    TimeSpan ShutdownTimeout,
    TimeSpan Spin = default,
    TimeSpan StepTimeout = default,
    long MaxBufferedBytes = long.MaxValue)
{
    /// <summary>The poller <see cref="PollerKind.Auto"/> stands for on this system.</summary>
    public PollerKind ResolvedPoller => Pollers.Resolve(Poller);
}

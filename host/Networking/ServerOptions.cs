using System.Net;

namespace PluggableEcho.Host.Networking;

/// <summary>How the server listens and runs its loops.</summary>
/// <param name="Loops">How many event loops, each on its own thread; at least one.</param>
/// <param name="Spin">How long a loop polls without sleeping after activity: a client that
/// answers within it is served without the cost of waking a sleeping thread. Zero: never.</param>
internal sealed record ServerOptions(IPEndPoint Listen, int Loops, PollerKind Poller, ServerLimits Limits, TimeSpan Spin = default)
{
    /// <summary>The poller <see cref="PollerKind.Auto"/> stands for on this system.</summary>
    public PollerKind ResolvedPoller => Pollers.Resolve(Poller);
}

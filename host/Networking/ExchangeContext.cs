using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>What every <see cref="MessageExchange"/> of one loop shares. The pipeline is the
/// loop's own, so it is used from one thread only.</summary>
internal sealed class ExchangeContext(IFramer framer, IMessagePipeline pipeline, ConnectionLimits limits, ILogger logger)
{
    public IFramer Framer { get; } = framer;

    public IMessagePipeline Pipeline { get; } = pipeline;

    public ConnectionLimits Limits { get; } = limits;

    public ILogger Logger { get; } = logger;

    public Notices Notices { get; } = new(framer, limits);

    /// <summary>What its loop counts for the listener: loop's thread only.</summary>
    public ListenerCounters Counters { get; } = new();
}

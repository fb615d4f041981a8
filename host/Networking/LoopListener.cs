using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A listener as one loop serves it: its settings, the loop's own pipeline for it, and the
/// max_connections count it shares with the other loops. Each connection keeps a reference to
/// the one it was accepted on. Loop's thread only, but for <see cref="Slots"/>.
/// </summary>
/// <param name="budget">What the loop's buffers may hold.</param>
internal sealed class LoopListener(ListenerOptions options, ConnectionSlots slots, IMessagePipeline pipeline, ILogger logger, BufferBudget? budget = null) : IDisposable
{
    public ListenerOptions Options { get; } = options;

    public ConnectionLimits Limits => Options.Limits;

    public ConnectionSlots Slots { get; } = slots;

    public ListenerCounters Counters => Exchange.Counters;

    /// <summary>How long one connection may run messages before its loop's other clients get
    /// their turn: a few slow steps' worth, far longer than a read's worth of fast ones.</summary>
    public static readonly TimeSpan Turn = TimeSpan.FromMicroseconds(200);

    public ExchangeContext Exchange { get; } = new(options.Framer, pipeline, options.Limits, logger, Turn, budget);

    public void Dispose() => Exchange.Pipeline.Dispose();
}

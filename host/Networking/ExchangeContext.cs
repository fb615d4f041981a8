using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>What every <see cref="MessageExchange"/> of one loop shares. The pipeline is the
/// loop's own, so it is used from one thread only.</summary>
/// <param name="turn">How long one exchange may run messages through the pipeline before it
/// yields the loop to the others; zero: until the input given is used up (a transcript).</param>
/// <param name="budget">What the loop's buffers may hold; none: not counted (a transcript).</param>
/// <param name="counters">What its loop counts for the listener, carried over from the settings
/// a reload replaced; none: counted afresh.</param>
/// <param name="generation">The configuration it belongs to, held by each connection that uses
/// it; none: not counted (a transcript).</param>
internal sealed class ExchangeContext(
    IFramer framer,
    IMessagePipeline pipeline,
    ConnectionLimits limits,
    ILogger logger,
    TimeSpan turn = default,
    BufferBudget? budget = null,
    ListenerCounters? counters = null,
    ServedGeneration? generation = null)
{
    public BufferBudget? Budget { get; } = budget;

    /// <summary>The longest frame a message within the limit can take: what an unfinished one may hold.</summary>
    public int MaxFrameBytes { get; } = (int)Math.Min(int.MaxValue, (long)limits.MaxMessageBytes + framer.MaxFrameOverhead);

    /// <summary>In <see cref="System.Diagnostics.Stopwatch"/> ticks; 0: no limit.</summary>
    public long TurnTicks { get; } = (long)(turn.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    public IFramer Framer { get; } = framer;

    public IMessagePipeline Pipeline { get; } = pipeline;

    /// <summary>Whether runs of whole lines go through the pipeline as one: line framing sends
    /// each reply with its message's own ending and nothing else, so a linewise pipeline's reply
    /// to the run is the replies to its lines.</summary>
    public bool RunsLines { get; } = framer is LineFramer && pipeline.IsLinewise;

    public ConnectionLimits Limits { get; } = limits;

    public ILogger Logger { get; } = logger;

    public Notices Notices { get; } = new(framer, limits);

    /// <summary>What its loop counts for the listener: loop's thread only.</summary>
    public ListenerCounters Counters { get; } = counters ?? new();

    /// <inheritdoc cref="ExchangeContext(IFramer, IMessagePipeline, ConnectionLimits, ILogger, TimeSpan, BufferBudget?, ListenerCounters?, ServedGeneration?)" path="/param[@name='generation']"/>
    public ServedGeneration? Generation { get; } = generation;

    /// <summary>What a reload replaced it with, for its connections to move to; null while it is current.</summary>
    public ExchangeContext? Successor { get; private set; }

    /// <summary>From when (<see cref="Reactor.Now"/>) its connections move to its successor at
    /// their next message boundary.</summary>
    public long MoveAt { get; private set; } = long.MaxValue;

    /// <summary>A reload replaced it (on its loop's thread).</summary>
    public void Supersede(ExchangeContext successor, long moveAt)
    {
        Successor = successor;
        MoveAt = moveAt;
    }

    /// <summary>What a connection on it should use from <paramref name="now"/> on: the newest of
    /// its successors once one of the moves on the way is due (a later reload's <c>switch</c>
    /// moves the connections of earlier ones too), else itself.</summary>
    public ExchangeContext Current(long now)
    {
        bool due = false;
        ExchangeContext latest = this;
        while (latest.Successor is { } next)
        {
            due |= now >= latest.MoveAt;
            latest = next;
        }

        return due ? latest : this;
    }
}

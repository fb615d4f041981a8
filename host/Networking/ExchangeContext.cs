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

    /// <summary>The listener's succession of settings on this loop, which a reload extends;
    /// none for a transcript's.</summary>
    public ExchangeSuccession? Succession { get; init; }

    /// <summary>Whether a reload has replaced it (on its loop's thread).</summary>
    public bool Superseded { get; private set; }

    /// <summary>From when (<see cref="Reactor.Now"/>) its connections move on to the listener's
    /// current settings at their next message boundary.</summary>
    public long MoveAt { get; private set; } = long.MaxValue;

    /// <summary>A reload replaced it (on its loop's thread): its connections move on from <paramref name="moveAt"/>.</summary>
    public void Supersede(long moveAt)
    {
        Superseded = true;
        MoveAt = moveAt;
    }

    /// <summary>What a connection on it should use from <paramref name="now"/> on: the listener's
    /// current settings once its move is due (or a later reload's <c>switch</c> moved everyone),
    /// else itself. It holds no reference to the settings after it, so that a generation in
    /// between, once unused, is not kept alive by it.</summary>
    public ExchangeContext Current(long now) =>
        Superseded && Succession is { Removed: false, Current: { } latest } && (now >= MoveAt || now >= Succession.MoveAllAt) ? latest : this;
}

/// <summary>One listener's settings on one loop as reloads replace them: the current ones, and
/// from when the connections of every older one move to them. Loop's thread only.</summary>
internal sealed class ExchangeSuccession
{
    public ExchangeContext? Current { get; set; }

    /// <summary>Set by a reload under <c>switch</c>: from then on, no connection keeps older settings.</summary>
    public long MoveAllAt { get; set; } = long.MaxValue;

    /// <summary>The listener was removed: its connections finish where they are.</summary>
    public bool Removed { get; set; }
}

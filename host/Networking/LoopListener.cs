using System.Net;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A listener as one loop serves it: its settings, the loop's own pipeline for it, and the
/// max_connections and max_connections_per_ip counts it shares with the other loops. Each
/// connection keeps a reference to the one it was accepted on. A reload that keeps the listener
/// gives it new settings (<see cref="Adopt"/>); one that drops it marks it
/// <see cref="Removed"/>. Loop's thread only, but for <see cref="Slots"/>,
/// <see cref="AddressSlots"/>, <see cref="OutOfMemory"/> and what <see cref="Counters"/> are read for.
/// </summary>
internal sealed class LoopListener
{
    private readonly LoopContext _loop;
    private readonly WarningPace _addressFullWarning = new();
    private readonly ExchangeSuccession _succession = new();
    private OutOfMemoryFault? _outOfMemory;

    /// <param name="loop">The loop that serves it: its logger, its buffers' budget, what it runs now.</param>
    /// <param name="generation">The configuration <paramref name="pipeline"/> belongs to.</param>
    public LoopListener(ListenerOptions options, ConnectionSlots slots, AddressSlots addressSlots, IMessagePipeline pipeline, LoopContext loop, ServedGeneration? generation = null)
    {
        _loop = loop;
        Options = options;
        Slots = slots;
        AddressSlots = addressSlots;
        Exchange = NewExchange(options, pipeline, counters: null, generation);
    }

    /// <summary>How long one connection may run messages before its loop's other clients get
    /// their turn: a few slow steps' worth, far longer than a read's worth of fast ones.</summary>
    public static readonly TimeSpan Turn = TimeSpan.FromMicroseconds(200);

    public ListenerOptions Options { get; private set; }

    public ConnectionLimits Limits => Options.Limits;

    /// <summary>Whether its messages end at <c>\n</c>: a client that never sends one waits for ever.</summary>
    public bool FramesLines => Options.Framer is LineFramer;

    public ConnectionSlots Slots { get; }

    public AddressSlots AddressSlots { get; }

    public ListenerCounters Counters => Exchange.Counters;

    /// <summary>What new connections run their messages through: the current generation's.</summary>
    public ExchangeContext Exchange { get; private set; }

    /// <summary>Set when a reload dropped the listener: its clients finish what they sent and close.</summary>
    public bool Removed => _succession.Removed;

    /// <summary>When a reload dropped it (<see cref="Reactor.Now"/>): its clients have the
    /// shutdown timeout from then.</summary>
    public long RemovedAt { get; private set; }

    /// <summary>The first time one of its steps ran out of memory on this loop; null if none has.
    /// Safe from any thread.</summary>
    public OutOfMemoryFault? OutOfMemory => Volatile.Read(ref _outOfMemory);

    /// <summary>A reload's settings for this listener: new connections use them at once; those
    /// open now move to them at a message boundary once <paramref name="moveAt"/> has come
    /// (<see cref="Reactor.Now"/>). Counts go on where they were.</summary>
    public void Adopt(ListenerOptions options, IMessagePipeline pipeline, ServedGeneration generation, long moveAt)
    {
        ExchangeContext next = NewExchange(options, pipeline, Exchange.Counters, generation);
        Exchange.Supersede(moveAt);
        if (moveAt <= _loop.Reactor.Now)
        {
            _succession.MoveAllAt = moveAt; // switch: the connections of older reloads move too.
        }

        Exchange = next;
        Options = options;
        Slots.Max = options.Limits.MaxConnections;
        AddressSlots.Max = options.Limits.MaxConnectionsPerIp;
    }

    /// <summary>A reload dropped it: nothing more is accepted for it (its acceptors are closed
    /// apart), and its connections are to finish.</summary>
    public void Remove()
    {
        _succession.Removed = true;
        RemovedAt = _loop.Reactor.Now;
    }

    /// <summary>Takes a max_connections_per_ip slot for the client's address (the socket's
    /// peer, or the client a PROXY header names); warns, at most once a second on this loop,
    /// when the address has none left.</summary>
    /// <param name="now">The loop's clock, for the warning's pace.</param>
    /// <param name="taken">What to give back on close (<see cref="Release"/>); null if nothing was taken.</param>
    /// <returns>False if the client must be turned away.</returns>
    public bool TryTakeAddressSlot(EndPoint? client, long now, out IPAddress? taken)
    {
        if (AddressSlots.TryTake(client, out taken))
        {
            return true;
        }

        if (_addressFullWarning.TryTake(now))
        {
            NetworkLog.MaxConnectionsPerIpReached(_loop.Logger, Limits.MaxConnectionsPerIp, (client as IPEndPoint)?.Address);
        }

        return false;
    }

    /// <summary>Gives back what a client held: its connection slot, and its address's if it took one.</summary>
    public void Release(IPAddress? address)
    {
        if (address is not null)
        {
            AddressSlots.Release(address);
        }

        Slots.Release();
    }

    private ExchangeContext NewExchange(ListenerOptions options, IMessagePipeline pipeline, ListenerCounters? counters, ServedGeneration? generation)
    {
        pipeline.OutOfMemory += step => RecordOutOfMemory(pipeline, step);
        var exchange = new ExchangeContext(options.Framer, pipeline, options.Limits, _loop.Logger, Turn, _loop.Memory.Budget, counters, generation) { Succession = _succession };
        _succession.Current = exchange;
        return exchange;
    }

    /// <summary>Only the first: the watchdog reports it once, and nothing is allocated again
    /// while memory is short.</summary>
    private void RecordOutOfMemory(IMessagePipeline pipeline, int step)
    {
        if (_outOfMemory is null)
        {
            // Described now: a reload may replace the pipeline, and holding the connection would keep it.
            int handle = _loop.Reactor.Activity.Current.Handle;
            string peer = (_loop.Reactor.HandlerOf(handle) as Connection)?.Peer ?? $"a connection on {Options.Name}";
            Volatile.Write(ref _outOfMemory, new OutOfMemoryFault(pipeline.DescribeStep(step), peer));
        }
    }
}

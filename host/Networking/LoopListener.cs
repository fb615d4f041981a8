using System.Net;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A listener as one loop serves it: its settings, the loop's own pipeline for it, and the
/// max_connections and max_connections_per_ip counts it shares with the other loops. Each
/// connection keeps a reference to the one it was accepted on. Loop's thread only, but for
/// <see cref="Slots"/>, <see cref="AddressSlots"/> and <see cref="OutOfMemory"/>.
/// </summary>
internal sealed class LoopListener : IDisposable
{
    private readonly LoopContext _loop;
    private readonly WarningPace _addressFullWarning = new();
    private OutOfMemoryFault? _outOfMemory;

    /// <param name="loop">The loop that serves it: its logger, its buffers' budget, what it runs now.</param>
    public LoopListener(ListenerOptions options, ConnectionSlots slots, AddressSlots addressSlots, IMessagePipeline pipeline, LoopContext loop)
    {
        _loop = loop;
        Options = options;
        Slots = slots;
        AddressSlots = addressSlots;
        Exchange = new ExchangeContext(options.Framer, pipeline, options.Limits, loop.Logger, Turn, loop.Memory.Budget);
        pipeline.OutOfMemory += RecordOutOfMemory;
    }

    /// <summary>How long one connection may run messages before its loop's other clients get
    /// their turn: a few slow steps' worth, far longer than a read's worth of fast ones.</summary>
    public static readonly TimeSpan Turn = TimeSpan.FromMicroseconds(200);

    public ListenerOptions Options { get; }

    public ConnectionLimits Limits => Options.Limits;

    /// <summary>Whether its messages end at <c>\n</c>: a client that never sends one waits for ever.</summary>
    public bool FramesLines => Options.Framer is LineFramer;

    public ConnectionSlots Slots { get; }

    public AddressSlots AddressSlots { get; }

    public ListenerCounters Counters => Exchange.Counters;

    public ExchangeContext Exchange { get; }

    /// <summary>The first time one of its steps ran out of memory on this loop; null if none has.
    /// Safe from any thread.</summary>
    public OutOfMemoryFault? OutOfMemory => Volatile.Read(ref _outOfMemory);

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

    public void Dispose() => Exchange.Pipeline.Dispose();

    /// <summary>Only the first: the watchdog reports it once, and nothing is allocated again
    /// while memory is short.</summary>
    private void RecordOutOfMemory(int step)
    {
        if (_outOfMemory is null)
        {
            int handle = _loop.Reactor.Activity.Current.Handle;
            Volatile.Write(ref _outOfMemory, new OutOfMemoryFault(step, _loop.Reactor.HandlerOf(handle) as Connection));
        }
    }
}

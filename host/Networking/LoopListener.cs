using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A listener as one loop serves it: its settings, the loop's own pipeline for it, and the
/// max_connections and max_connections_per_ip counts it shares with the other loops. Each
/// connection keeps a reference to the one it was accepted on. Loop's thread only, but for
/// <see cref="Slots"/> and <see cref="AddressSlots"/>.
/// </summary>
/// <param name="budget">What the loop's buffers may hold.</param>
internal sealed class LoopListener(
    ListenerOptions options, ConnectionSlots slots, AddressSlots addressSlots, IMessagePipeline pipeline, ILogger logger, BufferBudget? budget = null)
    : IDisposable
{
    private readonly WarningPace _addressFullWarning = new();

    public ListenerOptions Options { get; } = options;

    public ConnectionLimits Limits => Options.Limits;

    /// <summary>Whether its messages end at <c>\n</c>: a client that never sends one waits for ever.</summary>
    public bool FramesLines { get; } = options.Framer is LineFramer;

    public ConnectionSlots Slots { get; } = slots;

    public AddressSlots AddressSlots { get; } = addressSlots;

    public ListenerCounters Counters => Exchange.Counters;

    /// <summary>How long one connection may run messages before its loop's other clients get
    /// their turn: a few slow steps' worth, far longer than a read's worth of fast ones.</summary>
    public static readonly TimeSpan Turn = TimeSpan.FromMicroseconds(200);

    public ExchangeContext Exchange { get; } = new(options.Framer, pipeline, options.Limits, logger, Turn, budget);

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
            NetworkLog.MaxConnectionsPerIpReached(logger, Limits.MaxConnectionsPerIp, (client as IPEndPoint)?.Address);
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
}

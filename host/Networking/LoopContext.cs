using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

/// <summary>What one event loop shares with all of its connections. Touched by the loop's thread only.</summary>
/// <remarks>Disposing it disposes the poller and the pipeline.</remarks>
internal sealed class LoopContext(IPoller poller, ExchangeContext exchange, ConnectionSlots slots, int receiveBufferSize) : IDisposable
{
    public IPoller Poller { get; } = poller;

    public ExchangeContext Exchange { get; } = exchange;

    public ConnectionSlots Slots { get; } = slots;

    public ConnectionLimits Limits => Exchange.Limits;

    public ILogger Logger => Exchange.Logger;

    /// <summary>Every connection receives into this one buffer; only leftovers are copied out.</summary>
    public byte[] ReceiveBuffer { get; } = GC.AllocateUninitializedArray<byte>(receiveBufferSize);

    /// <summary>The loop's clock, read once per wake-up: <see cref="Environment.TickCount64"/>.</summary>
    public long Now { get; set; }

    /// <summary>Connections that wait, after their replies, for their client to close.</summary>
    public int Lingering { get; set; }

    public void Dispose()
    {
        try
        {
            Poller.Dispose();
        }
        finally
        {
            Exchange.Pipeline.Dispose();
        }
    }
}

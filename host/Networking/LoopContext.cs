using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

/// <summary>What one event loop shares with all of its connections. Touched by the loop's thread only.</summary>
internal sealed class LoopContext
{
    /// <param name="bufferLimit">The loop's share of max_buffered_bytes; long.MaxValue: none.</param>
    public LoopContext(Reactor reactor, ILogger logger, int receiveBufferSize, long bufferLimit = long.MaxValue)
    {
        Reactor = reactor;
        Logger = logger;
        ReceiveBuffer = GC.AllocateUninitializedArray<byte>(receiveBufferSize);
        Memory = new MemoryPressure(bufferLimit, reactor, Connections, logger);
    }

    public Reactor Reactor { get; }

    public ILogger Logger { get; }

    public ConnectionTable Connections { get; } = new();

    /// <summary>Every connection receives into this one buffer; only leftovers are copied out.</summary>
    public byte[] ReceiveBuffer { get; }

    /// <summary>What its connections' buffers hold, against its share of the budget.</summary>
    public MemoryPressure Memory { get; }

    /// <summary>Set once the server stops: connections finish what they were sent, then close.</summary>
    public bool Stopping { get; set; }
}

using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

/// <summary>What one event loop shares with all of its connections. Touched by the loop's thread only.</summary>
internal sealed class LoopContext(Reactor reactor, ILogger logger, int receiveBufferSize)
{
    public Reactor Reactor { get; } = reactor;

    public ILogger Logger { get; } = logger;

    public ConnectionTable Connections { get; } = new();

    /// <summary>Every connection receives into this one buffer; only leftovers are copied out.</summary>
    public byte[] ReceiveBuffer { get; } = GC.AllocateUninitializedArray<byte>(receiveBufferSize);

    /// <summary>Set once the server stops: connections finish what they were sent, then close.</summary>
    public bool Stopping { get; set; }
}

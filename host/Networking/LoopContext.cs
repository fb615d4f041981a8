using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>What one event loop shares with all of its connections. Touched by the loop's thread only.</summary>
internal sealed class LoopContext(IPoller poller, IFramer framer, IMessagePipeline pipeline, ILogger logger, int receiveBufferSize)
{
    public IPoller Poller { get; } = poller;

    public IFramer Framer { get; } = framer;

    public IMessagePipeline Pipeline { get; } = pipeline;

    public ILogger Logger { get; } = logger;

    /// <summary>Every connection receives into this one buffer; only leftovers are copied out.</summary>
    public byte[] ReceiveBuffer { get; } = GC.AllocateUninitializedArray<byte>(receiveBufferSize);
}

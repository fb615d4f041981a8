using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Pipeline;

/// <summary>What the event loop asks of the pipeline: the reply to one framed message.</summary>
/// <remarks>Disposing it disposes the transforms that are disposable.</remarks>
internal interface IMessagePipeline : IDisposable
{
    /// <summary>
    /// Appends the reply to <paramref name="reply"/>. Never throws for a failing step: the
    /// failure is logged and the reply says so instead.
    /// </summary>
    void Run(ReadOnlySpan<byte> message, ByteBuffer reply);
}

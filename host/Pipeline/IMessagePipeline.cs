using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Pipeline;

/// <summary>What the event loop asks of the pipeline: the reply to one framed message.</summary>
/// <remarks>Disposing it disposes the transforms that are disposable.</remarks>
internal interface IMessagePipeline : IDisposable
{
    /// <summary>
    /// Appends the reply to <paramref name="reply"/> and says what to do with it. Never throws
    /// for a failing step: the failure is logged and handled by the outcome. Unless the outcome
    /// is <see cref="MessageOutcome.Reply"/>, nothing is left appended.
    /// </summary>
    MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply);
}

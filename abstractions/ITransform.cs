using System.Buffers;

namespace PluggableEcho.Abstractions;

/// <summary>One step of the pipeline: turns one framed message into its result.</summary>
/// <remarks>
/// Called on an event-loop thread, once per message, never concurrently on the same instance:
/// each loop builds its own instances, so an implementation needs no locking. It must not block.
/// The writer is reused between messages, so writing into it allocates nothing in steady state.
/// </remarks>
public interface ITransform
{
    void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output);
}

using System.Buffers;

namespace PluggableEcho.Abstractions;

/// <summary>
/// A transform that knows which connection each message came on: it can keep something per
/// connection, and it can answer a message with nothing at all.
/// </summary>
/// <remarks>
/// The host calls the three-argument <see cref="Transform(ReadOnlySpan{byte}, IBufferWriter{byte}, object?)"/>
/// for every message, on the event-loop thread, like <see cref="ITransform.Transform"/>.
/// A pipeline without such a step keeps nothing per connection.
/// </remarks>
public interface IConnectionTransform : ITransform
{
    /// <summary>
    /// Called when a connection's first message reaches this step. What it returns comes back
    /// with each message of that connection, and is disposed when the connection closes if it is
    /// <see cref="IDisposable"/>. If it throws, the message fails like a throwing
    /// <c>Transform</c>, and the next message asks again.
    /// </summary>
    object? CreateConnectionState(ConnectionInfo connection);

    /// <summary>Transforms one message of the connection whose state is <paramref name="connectionState"/>.</summary>
    TransformResult Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output, object? connectionState);

    /// <summary>
    /// Without a connection (a test, a tool): the message is the only one of a connection of its
    /// own. A dropped message writes nothing. Not the host's path, so it may allocate.
    /// </summary>
    void ITransform.Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        object? state = CreateConnectionState(ConnectionInfo.None);
        try
        {
            var result = new ArrayBufferWriter<byte>();
            if (Transform(message, result, state) == TransformResult.Continue)
            {
                output.Write(result.WrittenSpan);
            }
        }
        finally
        {
            (state as IDisposable)?.Dispose();
        }
    }
}

using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace Example;

/// <summary>Sends each message back with its suffix after it.</summary>
/// <remarks>
/// Called on an event-loop thread for each message, never concurrently on one instance (each loop
/// builds its own), so it needs no locking; it must not block. It may change the length.
/// </remarks>
internal sealed class ExampleTransform(ExampleOptions options) : ITransform
{
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes(options.Suffix);

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        output.Write(message);
        output.Write(_suffix);
    }
}

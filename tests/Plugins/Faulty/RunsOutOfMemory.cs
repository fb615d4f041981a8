using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Faulty;

/// <summary><c>runs-out-of-memory-on</c>: throws <see cref="OutOfMemoryException"/> on one message,
/// as a plugin that leaks does on every message in the end. Other messages pass through.</summary>
public sealed class OutOfMemoryOptions
{
    /// <summary>The message it fails on.</summary>
    public string Message { get; set; } = "oom";
}

internal sealed class RunsOutOfMemoryOnMessage(OutOfMemoryOptions options) : ITransform
{
    private readonly byte[] _trigger = Encoding.UTF8.GetBytes(options.Message);

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        if (message.SequenceEqual(_trigger))
        {
#pragma warning disable CA2201 // Reserved by the runtime, which throws it once a leak has used memory up: what this step stands for.
            throw new OutOfMemoryException();
#pragma warning restore CA2201
        }

        output.Write(message);
    }
}

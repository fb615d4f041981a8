using System.Buffers;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Versioned;

/// <summary>Prefixes each message with the build's version: <c>v1:</c> or <c>v2:</c>.</summary>
internal sealed class VersionedTransform : ITransform
{
#if VERSION_2
    private static ReadOnlySpan<byte> Prefix => "v2:"u8;
#else
    private static ReadOnlySpan<byte> Prefix => "v1:"u8;
#endif

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        output.Write(Prefix);
        output.Write(message);
    }
}

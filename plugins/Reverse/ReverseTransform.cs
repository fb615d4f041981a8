using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>
/// Reverses a message character by character: a multi-byte UTF-8 character keeps its bytes in
/// order, and each byte that is not part of a valid UTF-8 character counts as one of its own.
/// </summary>
internal sealed class ReverseTransform : ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length)[..message.Length];
        if (Ascii.IsValid(message))
        {
            message.CopyTo(destination);
            destination.Reverse();
        }
        else
        {
            ReverseRunes(message, destination);
        }

        output.Advance(message.Length);
    }

    private static void ReverseRunes(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        int end = destination.Length;
        while (!message.IsEmpty)
        {
            int length = Rune.DecodeFromUtf8(message, out _, out int consumed) == OperationStatus.Done ? consumed : 1;
            end -= length;
            message[..length].CopyTo(destination[end..]);
            message = message[length..];
        }
    }
}

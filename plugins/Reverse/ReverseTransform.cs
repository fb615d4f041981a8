using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>
/// Reverses a message by text elements, the characters a reader sees (Unicode extended grapheme
/// clusters): <c>e</c> with a combining accent, an emoji with its skin tone, a flag and a ZWJ
/// sequence each keep their bytes in order. So does <c>\r\n</c>, which Unicode counts as one
/// element. A byte that is not part of valid UTF-8 is an element of its own, and ends the one
/// before it. The length never changes.
/// </summary>
internal sealed class ReverseTransform : ITransform
{
    // The table is built as the pipeline is, at start-up, rather than at the first message
    // (tens of milliseconds on a loop's thread).
    public ReverseTransform() => RuntimeHelpers.RunClassConstructor(typeof(StandaloneCodePoints).TypeHandle);

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length)[..message.Length];
        if (Ascii.IsValid(message))
        {
            ReverseAscii(message, destination);
        }
        else
        {
            Utf8Reverse.Reverse(message, destination);
        }

        output.Advance(message.Length);
    }

    /// <summary>Each ASCII byte is an element of its own, except <c>\r\n</c>: no decoding needed.</summary>
    private static void ReverseAscii(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        message.CopyTo(destination);
        destination.Reverse();

        int last = message.Length - 1;
        int from = 0;
        int found;
        while ((found = message[from..].IndexOf("\r\n"u8)) >= 0)
        {
            int cr = from + found;
            destination[last - cr - 1] = (byte)'\r';
            destination[last - cr] = (byte)'\n';
            from = cr + 2;
        }
    }
}

using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Uppercase;

/// <summary>
/// Upper-cases UTF-8 text with the invariant culture. ASCII runs take a vectorised path; any other
/// character is mapped rune by rune, and bytes that are not valid UTF-8 pass through unchanged.
/// </summary>
internal sealed class UppercaseTransform : ITransform
{
    // Upper-casing can grow a character from 2 to 3 bytes (U+023F becomes U+2C7E).
    private const int MaxRuneBytes = 4;

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        while (!message.IsEmpty)
        {
            Span<byte> destination = output.GetSpan(message.Length);
            Ascii.ToUpper(message, destination[..message.Length], out int asciiBytes);
            output.Advance(asciiBytes);
            message = message[asciiBytes..];
            if (!message.IsEmpty)
            {
                message = message[UpperOneRune(message, output)..];
            }
        }
    }

    private static int UpperOneRune(ReadOnlySpan<byte> text, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(MaxRuneBytes);
        if (Rune.DecodeFromUtf8(text, out Rune rune, out int consumed) != OperationStatus.Done)
        {
            text[..consumed].CopyTo(output.GetSpan(consumed));
            output.Advance(consumed);
            return consumed;
        }

        output.Advance(Rune.ToUpperInvariant(rune).EncodeToUtf8(destination));
        return consumed;
    }
}

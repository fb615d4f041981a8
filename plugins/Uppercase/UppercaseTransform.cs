using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Uppercase;

/// <summary>
/// Upper-cases UTF-8 text as <see cref="string.ToUpperInvariant"/> does: each character by its
/// simple case mapping, so only cased characters change. ASCII runs take a vectorised path that
/// decodes nothing; any other character is decoded, mapped and encoded again, so the length may
/// change (<c>ɐ</c>, 2 bytes, becomes <c>Ɐ</c>, 3 bytes). Bytes that are not valid UTF-8 pass
/// through unchanged.
/// </summary>
internal sealed class UppercaseTransform : ILinewiseTransform
{
    // The longest a character can be, and so the most that one mapped character or one invalid
    // sequence (at most 3 bytes) can write.
    private const int MaxRuneBytes = 4;

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        while (!message.IsEmpty)
        {
            message = message[UpperAscii(message, output)..];
            message = message[UpperNonAscii(message, output)..];
        }
    }

    /// <summary>Upper-cases the ASCII bytes at the front; returns how many there were.</summary>
    private static int UpperAscii(ReadOnlySpan<byte> text, IBufferWriter<byte> output)
    {
        _ = Ascii.ToUpper(text, output.GetSpan(text.Length), out int written); // Stops at the first non-ASCII byte.
        output.Advance(written);
        return written;
    }

    /// <summary>Upper-cases the characters at the front up to the next ASCII byte, passing invalid
    /// sequences through; returns how many bytes it read.</summary>
    private static int UpperNonAscii(ReadOnlySpan<byte> text, IBufferWriter<byte> output)
    {
        int read = 0;
        while (read < text.Length && !Ascii.IsValid(text[read]))
        {
            ReadOnlySpan<byte> rest = text[read..];
            Span<byte> destination = output.GetSpan(MaxRuneBytes);
            if (Rune.DecodeFromUtf8(rest, out Rune rune, out int consumed) == OperationStatus.Done)
            {
                output.Advance(Rune.ToUpperInvariant(rune).EncodeToUtf8(destination));
            }
            else
            {
                rest[..consumed].CopyTo(destination);
                output.Advance(consumed);
            }

            read += consumed;
        }

        return read;
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
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
    // Messages up to this many bytes decode on the stack; longer ones into a pooled array.
    private const int StackChars = 256;

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length)[..message.Length];
        if (Ascii.IsValid(message))
        {
            ReverseAscii(message, destination);
        }
        else
        {
            ReverseTextElements(message, destination);
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

    private static void ReverseTextElements(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        // UTF-16 never takes more chars than UTF-8 takes bytes.
        char[]? rented = null;
        Span<char> chars = message.Length <= StackChars
            ? stackalloc char[StackChars]
            : rented = ArrayPool<char>.Shared.Rent(message.Length);

        int end = destination.Length;
        while (!message.IsEmpty)
        {
            OperationStatus status = Utf8.ToUtf16(message, chars, out int validBytes, out int validChars, replaceInvalidSequences: false);
            end = ReverseValidText(message[..validBytes], chars[..validChars], destination[..end]);
            message = message[validBytes..];
            if (status != OperationStatus.Done)
            {
                destination[--end] = message[0]; // One invalid byte, one element.
                message = message[1..];
            }
        }

        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Copies the text elements of valid UTF-8 text, given also as UTF-16 to find them, to the end
    /// of <paramref name="destination"/> in reverse order; returns where the first one went.
    /// </summary>
    private static int ReverseValidText(ReadOnlySpan<byte> utf8, ReadOnlySpan<char> utf16, Span<byte> destination)
    {
        int end = destination.Length;
        while (!utf16.IsEmpty)
        {
            int elementChars = StringInfo.GetNextTextElementLength(utf16);
            int elementBytes = Utf8Length(utf16[..elementChars]);
            end -= elementBytes;
            utf8[..elementBytes].CopyTo(destination[end..]);
            utf8 = utf8[elementBytes..];
            utf16 = utf16[elementChars..];
        }

        return end;
    }

    /// <summary>How many bytes valid UTF-16 takes in UTF-8 (each half of a surrogate pair, 2).</summary>
    private static int Utf8Length(ReadOnlySpan<char> utf16)
    {
        int bytes = 0;
        foreach (char c in utf16)
        {
            bytes += c < 0x80 ? 1 : c < 0x800 || char.IsSurrogate(c) ? 2 : 3;
        }

        return bytes;
    }
}

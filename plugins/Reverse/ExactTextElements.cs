using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>
/// Reverses text by the elements <see cref="StringInfo"/> finds in it once decoded to UTF-16:
/// exact for any text, but slow, so kept for the stretches where code points may join.
/// </summary>
internal static class ExactTextElements
{
    // Text up to this many bytes decodes on the stack; longer text into a pooled array.
    private const int StackChars = 256;

    /// <summary>Writes the elements of <paramref name="message"/> to <paramref name="destination"/>,
    /// as long, in reverse order. A byte that is not valid UTF-8 is an element of its own.</summary>
    public static void Reverse(ReadOnlySpan<byte> message, Span<byte> destination)
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

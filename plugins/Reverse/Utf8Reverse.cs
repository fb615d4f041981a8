using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using PluggableEcho.Plugins.Text;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>
/// Reverses UTF-8 text by text elements without decoding most of it: ASCII (but a carriage
/// return) and the <see cref="StandaloneCodePoints"/> are elements of their own when their
/// neighbours are too, and are copied straight to their place. Only a stretch around code points
/// that may join their neighbours goes through <see cref="ExactTextElements"/>, from the element
/// before it up to the first place where two that stand alone meet, a sure boundary.
/// </summary>
internal static class Utf8Reverse
{
    /// <summary>Writes the elements of <paramref name="message"/> to <paramref name="destination"/>,
    /// as long, in reverse order.</summary>
    public static void Reverse(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        int length = message.Length;
        int read = 0;

        // How long the unit just before `read` is, when it was copied as an element of its own: a
        // stretch that may join starts with it, since a code point that joins may join it.
        int previous = 0;
        while (read < length)
        {
            if (Vector128.IsHardwareAccelerated && length - read >= Vector128<byte>.Count)
            {
                Vector128<byte> bytes = Vector128.Create(message.Slice(read, Vector128<byte>.Count));
                uint stops = bytes.ExtractMostSignificantBits() | Vector128.Equals(bytes, Vector128.Create((byte)'\r')).ExtractMostSignificantBits();

                // All 16 reversed into their place; past the ASCII in front they are overwritten later.
                Vector128.Shuffle(bytes, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
                    .CopyTo(destination[(length - read - Vector128<byte>.Count)..]);
                int ascii = stops == 0 ? Vector128<byte>.Count : BitOperations.TrailingZeroCount(stops);
                read += ascii;
                previous = ascii > 0 ? 1 : previous;
                if (stops == 0)
                {
                    continue;
                }
            }
            else if (message[read] < 0x80 && message[read] != '\r')
            {
                destination[length - read - 1] = message[read];
                read++;
                previous = 1;
                continue;
            }

            if (IsStandaloneTwoBytes(message[read..]))
            {
                // The commonest case out of ASCII, inline: é, ß, ж.
                destination[length - read - 2] = message[read];
                destination[length - read - 1] = message[read + 1];
                read += 2;
                previous = 2;
                continue;
            }

            if (IsStandaloneFourBytes(message[read..], out uint fourBytes))
            {
                // The next commonest, inline: emoji such as 😀.
                BinaryPrimitives.WriteUInt32BigEndian(destination[(length - read - 4)..], fourBytes);
                read += 4;
                previous = 4;
                continue;
            }

            int unit = NextUnit(message[read..], out bool standsAlone);
            if (standsAlone)
            {
                CopyUnit(message.Slice(read, unit), destination[(length - read - unit)..]);
                read += unit;
                previous = unit;
                continue;
            }

            int start = read - previous;
            int stop = StretchEnd(message, read + unit);
            ExactTextElements.Reverse(message[start..stop], destination[(length - stop)..(length - start)]);
            read = stop;
            previous = 0;
        }
    }

    private static bool IsStandaloneTwoBytes(ReadOnlySpan<byte> text) =>
        text.Length >= 2 && (uint)(text[0] - 0xC2) <= 0xDF - 0xC2 && (text[1] & 0xC0) == 0x80 // Always valid.
        && StandaloneCodePoints.Contains(((text[0] & 0x1F) << 6) | (text[1] & 0x3F));

    private static bool IsStandaloneFourBytes(ReadOnlySpan<byte> text, out uint bytes)
    {
        bytes = text.Length >= 4 ? Utf8Character.FourBytes(text) : 0;
        return Utf8Character.TryDecodeFourBytes(bytes, out int codePoint) && StandaloneCodePoints.Contains(codePoint);
    }

    private static void CopyUnit(ReadOnlySpan<byte> unit, Span<byte> destination)
    {
        for (int i = 0; i < unit.Length; i++)
        {
            destination[i] = unit[i]; // A loop beats a call to copy at most 4 bytes.
        }
    }

    /// <summary>Where the stretch that may join, whose first code point that does not stand alone
    /// ends at <paramref name="at"/>, ends: before the first unit that stands alone after another.</summary>
    private static int StretchEnd(ReadOnlySpan<byte> message, int at)
    {
        bool lastStandsAlone = false;
        while (at < message.Length)
        {
            int unit = NextUnit(message[at..], out bool standsAlone);
            if (standsAlone && lastStandsAlone)
            {
                break; // Two units that stand alone: a boundary whatever came before.
            }

            at += unit;
            lastStandsAlone = standsAlone;
        }

        return at;
    }

    /// <summary>The length of the unit <paramref name="text"/> starts with: one code point, a
    /// <c>\r\n</c> or one byte of invalid UTF-8; and whether it is an element of its own between
    /// others that are.</summary>
    private static int NextUnit(ReadOnlySpan<byte> text, out bool standsAlone)
    {
        standsAlone = true;
        if (text[0] == '\r')
        {
            return text.Length > 1 && text[1] == '\n' ? 2 : 1; // CR LF is one element, always apart.
        }

        if (text[0] < 0x80)
        {
            return 1;
        }

        if (!Utf8Character.TryDecode(text, out int codePoint, out int length))
        {
            return 1; // An invalid byte: an element of its own by this transform's rule.
        }

        standsAlone = StandaloneCodePoints.Contains(codePoint);
        return length;
    }
}

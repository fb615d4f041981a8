using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;

namespace PluggableEcho.Plugins.Uppercase;

/// <summary>
/// Upper-cases UTF-8 from one span into another, as far as the destination has room: ASCII a
/// vector at a time, other characters one at a time through <see cref="UpperCaseMap"/>.
/// </summary>
internal static class Utf8UpperCase
{
    /// <summary>Upper-cases the front of <paramref name="source"/> into <paramref name="destination"/>,
    /// stopping at the first character that does not fit; returns how many bytes it read.</summary>
    public static int ToUpper(ReadOnlySpan<byte> source, Span<byte> destination, out int written)
    {
        int read = 0;
        written = 0;
        while (read < source.Length)
        {
            if (Vector128.IsHardwareAccelerated && source.Length - read >= Vector128<byte>.Count && destination.Length - written >= Vector128<byte>.Count)
            {
                Vector128<byte> bytes = Vector128.Create(source.Slice(read, Vector128<byte>.Count));
                uint nonAscii = bytes.ExtractMostSignificantBits();
                if (nonAscii == 0)
                {
                    // A run of ASCII, maybe a long one: Ascii takes it to its end at full speed.
                    _ = Ascii.ToUpper(source[read..], destination[written..], out int run);
                    read += run;
                    written += run;
                    continue;
                }

                // Non-ASCII bytes come through unchanged; the bytes from the first of them on are
                // written again below, so only the ASCII in front counts.
                UpperAscii(bytes).CopyTo(destination[written..]);
                int ascii = BitOperations.TrailingZeroCount(nonAscii);
                read += ascii;
                written += ascii;
            }
            else if (Ascii.IsValid(source[read]))
            {
                if (written == destination.Length)
                {
                    break;
                }

                destination[written++] = UpperAscii(source[read++]);
                continue;
            }

            int characterWritten = UpperCharacter(source[read..], destination[written..], out int consumed);
            if (consumed == 0)
            {
                break; // No room for it.
            }

            read += consumed;
            written += characterWritten;
        }

        return read;
    }

    private static byte UpperAscii(byte b) => (uint)(b - 'a') <= 'z' - 'a' ? (byte)(b - 0x20) : b;

    private static Vector128<byte> UpperAscii(Vector128<byte> bytes)
    {
        // Byte compares are unsigned: everything but 'a'..'z' wraps above 25, non-ASCII included.
        Vector128<byte> lower = Vector128.LessThan(bytes - Vector128.Create((byte)'a'), Vector128.Create((byte)26));
        return bytes - (lower & Vector128.Create((byte)0x20));
    }

    /// <summary>
    /// Upper-cases the character, or passes through the invalid byte, that <paramref name="source"/>
    /// starts with (not ASCII); returns how many bytes it wrote, and sets <paramref name="consumed"/>
    /// to how many it read, 0 if the result does not fit in <paramref name="destination"/>.
    /// </summary>
    private static int UpperCharacter(ReadOnlySpan<byte> source, Span<byte> destination, out int consumed)
    {
        consumed = 0;
        if (!Utf8Character.TryDecode(source, out int codePoint, out int length))
        {
            // Not valid UTF-8: this byte passes through, and each that follows is looked at again.
            if (destination.IsEmpty)
            {
                return 0;
            }

            destination[0] = source[0];
            consumed = 1;
            return 1;
        }

        int upper = codePoint < UpperCaseMap.Limit ? UpperCaseMap.ToUpper(codePoint) : Rune.ToUpperInvariant(new Rune(codePoint)).Value;
        if (upper == codePoint)
        {
            if (!source[..length].TryCopyTo(destination))
            {
                return 0;
            }

            consumed = length;
            return length;
        }

        if (!new Rune(upper).TryEncodeToUtf8(destination, out int written))
        {
            return 0;
        }

        consumed = length;
        return written;
    }
}

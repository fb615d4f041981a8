using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text;
using PluggableEcho.Plugins.Text;

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
        // Most messages are all ASCII: one call does them whole.
        _ = Ascii.ToUpper(source, destination, out written);
        int read = written;
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

            if (TryUpperTwoBytes(source[read..], destination[written..]))
            {
                read += 2;
                written += 2;
                continue;
            }

            if (TryCopyCaselessFourBytes(source[read..], destination[written..]))
            {
                read += 4;
                written += 4;
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

    /// <summary>The commonest case out of ASCII, inline: a two-byte character whose capital is two
    /// bytes long too (é to É, ß to itself, ж to Ж).</summary>
    private static bool TryUpperTwoBytes(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        // C2..DF then a continuation byte is always valid.
        if (source.Length < 2 || destination.Length < 2 || (uint)(source[0] - 0xC2) > 0xDF - 0xC2 || (source[1] & 0xC0) != 0x80)
        {
            return false;
        }

        ushort capital = UpperCaseMap.TwoByteCapital(((source[0] & 0x1F) << 6) | (source[1] & 0x3F));
        if (capital == 0)
        {
            return false;
        }

        destination[0] = (byte)(capital >> 8);
        destination[1] = (byte)capital;
        return true;
    }

    /// <summary>The next commonest, inline: a four-byte character that has no capital (emoji).</summary>
    private static bool TryCopyCaselessFourBytes(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (source.Length < 4 || destination.Length < 4)
        {
            return false;
        }

        uint bytes = Utf8Character.FourBytes(source);
        if (!Utf8Character.TryDecodeFourBytes(bytes, out int codePoint) || codePoint >= UpperCaseMap.Limit || UpperCaseMap.ToUpper(codePoint) != codePoint)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, bytes);
        return true;
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
        int written = upper == codePoint ? Copy(source[..length], destination) : Encode(upper, destination);
        consumed = written == 0 ? 0 : length;
        return written;
    }

    /// <summary>Copies a character unchanged; returns its length, or 0 if it does not fit.</summary>
    private static int Copy(ReadOnlySpan<byte> character, Span<byte> destination)
    {
        if (destination.Length < character.Length)
        {
            return 0;
        }

        for (int i = 0; i < character.Length; i++)
        {
            destination[i] = character[i]; // A loop beats a call to copy at most 4 bytes.
        }

        return character.Length;
    }

    /// <summary>Encodes a code point; returns how many bytes it took, or 0 if it does not fit.</summary>
    private static int Encode(int codePoint, Span<byte> destination) =>
        new Rune(codePoint).TryEncodeToUtf8(destination, out int written) ? written : 0;
}

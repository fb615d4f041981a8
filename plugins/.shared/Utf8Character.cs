using System.Buffers.Binary;

namespace PluggableEcho.Plugins.Text;

/// <summary>Decoding of one UTF-8 character, for the fast path that does not decode everything.</summary>
/// <remarks>Compiled into each sample plugin that needs it (uppercase, reverse), as each is an
/// assembly of its own: this folder's leading dot keeps the plugin loader from taking it for a
/// plugin folder.</remarks>
internal static class Utf8Character
{
    /// <summary>Decodes the character <paramref name="source"/> starts with (its first byte not
    /// ASCII); false if that byte starts no valid character, and is then invalid on its own.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> source, out int codePoint, out int length)
    {
        byte first = source[0];
        codePoint = 0;
        length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2;
        if (first < 0xC2 || first > 0xF4 || source.Length < length)
        {
            return false; // A continuation byte, an overlong lead, a lead never used, or cut short.
        }

        codePoint = first & (0x7F >> length);
        for (int i = 1; i < length; i++)
        {
            if ((source[i] & 0xC0) != 0x80)
            {
                return false;
            }

            codePoint = (codePoint << 6) | (source[i] & 0x3F);
        }

        // Well-formed unless overlong, a surrogate or past the last code point (Unicode table 3-7).
        return length switch
        {
            2 => true,
            3 => codePoint >= 0x800 && (codePoint < 0xD800 || codePoint > 0xDFFF),
            _ => codePoint is >= 0x10000 and <= 0x10FFFF,
        };
    }

    /// <summary>Decodes a four-byte character (an emoji, say) at once, given its bytes in order,
    /// read as one big-endian number; false if they are not one.</summary>
    public static bool TryDecodeFourBytes(uint bytes, out int codePoint)
    {
        codePoint = (int)(((bytes >> 6) & 0x1C0000) | ((bytes >> 4) & 0x3F000) | ((bytes >> 2) & 0xFC0) | (bytes & 0x3F));
        return (bytes & 0xF8C0C0C0) == 0xF0808080 && codePoint is >= 0x10000 and <= 0x10FFFF;
    }

    /// <summary>The first four bytes of <paramref name="source"/> as one big-endian number.</summary>
    public static uint FourBytes(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32BigEndian(source);
}

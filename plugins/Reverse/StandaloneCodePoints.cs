using System.Globalization;
using System.Text;

namespace PluggableEcho.Plugins.Reverse;

/// <summary>
/// The code points, in the first two planes, that make a text element of their own when the code
/// points on both sides of them are such ones too: no rule of Unicode's text segmentation joins
/// two of them. Most letters, digits, punctuation and symbols are, emoji such as 😀 included; not
/// combining and spacing marks, joiners, prepended marks, regional indicators, Hangul jamo or a
/// carriage return, which join their neighbours.
/// </summary>
/// <remarks>
/// Found by asking the runtime's own segmentation, once, how each code point meets a letter on
/// either side, itself and a line feed. A code point that meets all of these apart has the
/// grapheme break property Other, Control, LF, LV or LVT, and is no Indic conjunct linker: the
/// rules that join (CR LF, Hangul syllables, Extend, ZWJ, SpacingMark, Prepend, Indic conjuncts,
/// emoji ZWJ sequences, flag pairs) all need a code point of another kind on one side.
/// </remarks>
internal static class StandaloneCodePoints
{
    /// <summary>Code points below this are in the table; the rest are taken not to stand alone.</summary>
    public const int Limit = 0x20000;

    private static readonly ulong[] Bits = Build();

    /// <summary>Whether <paramref name="codePoint"/>, a scalar value, stands alone between others that do.</summary>
    public static bool Contains(int codePoint) =>
        codePoint < Limit && (Bits[codePoint >> 6] & (1UL << codePoint)) != 0; // The shift takes the low 6 bits.

    private static ulong[] Build()
    {
        ulong[] bits = new ulong[Limit / 64];
        Span<char> character = stackalloc char[2];
        for (int codePoint = 0; codePoint < Limit; codePoint++)
        {
            if (Rune.IsValid(codePoint) && StandsAlone(character[..new Rune(codePoint).EncodeToUtf16(character)]))
            {
                bits[codePoint >> 6] |= 1UL << codePoint;
            }
        }

        return bits;
    }

    private static bool StandsAlone(ReadOnlySpan<char> character) =>
        Apart("a", character) && Apart(character, "a") && Apart(character, character) && Apart(character, "\n");

    private static bool Apart(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        Span<char> pair = stackalloc char[4];
        first.CopyTo(pair);
        second.CopyTo(pair[first.Length..]);
        return StringInfo.GetNextTextElementLength(pair[..(first.Length + second.Length)]) == first.Length;
    }
}

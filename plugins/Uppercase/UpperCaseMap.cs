using System.Text;

namespace PluggableEcho.Plugins.Uppercase;

/// <summary>
/// <see cref="Rune.ToUpperInvariant"/> for the first two planes, where all but a few rare cased
/// characters live, looked up instead of asked of the runtime each time (which goes through the
/// globalization library character by character). Built once, from the runtime's own mapping,
/// so it can never disagree with it.
/// </summary>
internal static class UpperCaseMap
{
    /// <summary>Code points below this are in the table; the rest ask the runtime.</summary>
    public const int Limit = 0x20000;

    private const int PageBits = 8;
    private const int PageSize = 1 << PageBits;

    // One page per 256 code points; null for the many pages where no character changes.
    private static readonly int[]?[] Pages = Build();

    // For each two-byte character, by code point, its capital's two bytes (high, low), or 0 when
    // its capital is not two bytes long: the commonest case, handled without decoding.
    private static readonly ushort[] TwoByteCapitals = BuildTwoByteCapitals();

    /// <summary>The uppercase of <paramref name="codePoint"/>, a scalar value below <see cref="Limit"/>.</summary>
    public static int ToUpper(int codePoint)
    {
        int[]? page = Pages[codePoint >> PageBits];
        return page is null ? codePoint : page[codePoint & (PageSize - 1)];
    }

    /// <summary>The UTF-8 of the capital of a two-byte character, given by its code point, as high
    /// and low byte; 0 if the capital is longer or shorter.</summary>
    public static ushort TwoByteCapital(int codePoint) => TwoByteCapitals[codePoint];

    private static int[]?[] Build()
    {
        var pages = new int[]?[Limit / PageSize];
        for (int first = 0; first < Limit; first += PageSize)
        {
            int[] page = new int[PageSize];
            bool changes = false;
            for (int offset = 0; offset < PageSize; offset++)
            {
                int codePoint = first + offset;
                page[offset] = Rune.IsValid(codePoint) ? Rune.ToUpperInvariant(new Rune(codePoint)).Value : codePoint;
                changes |= page[offset] != codePoint;
            }

            pages[first / PageSize] = changes ? page : null;
        }

        return pages;
    }

    private static ushort[] BuildTwoByteCapitals()
    {
        ushort[] capitals = new ushort[0x800];
        for (int codePoint = 0x80; codePoint < capitals.Length; codePoint++)
        {
            int capital = ToUpper(codePoint);
            if (capital is >= 0x80 and < 0x800)
            {
                capitals[codePoint] = (ushort)(((0xC0 | (capital >> 6)) << 8) | 0x80 | (capital & 0x3F));
            }
        }

        return capitals;
    }
}

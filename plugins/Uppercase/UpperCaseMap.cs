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

    /// <summary>The uppercase of <paramref name="codePoint"/>, a scalar value below <see cref="Limit"/>.</summary>
    public static int ToUpper(int codePoint)
    {
        int[]? page = Pages[codePoint >> PageBits];
        return page is null ? codePoint : page[codePoint & (PageSize - 1)];
    }

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
}

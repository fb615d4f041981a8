using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>
/// Random messages for property tests. Seeded, so every run tries the same cases and a failure
/// can be replayed; each test prints the input that failed.
/// </summary>
internal sealed class RandomText(int seed)
{
    /// <summary>
    /// Whole text elements of many kinds, each still whole and still separate from its
    /// neighbours whichever element stands next to it, in either order: no lone combining mark,
    /// regional indicator or carriage return, which would join the element before them.
    /// </summary>
    private static readonly string[] WholeElements =
    [
        "a", "Z", "m", "7", " ", ",", "!", "~", "\t",
        "é", "ñ", "Ω", "ж", "ß", "ſ", "ı", "İ", "ǅ", "ɐ", "ȿ", "ⓐ", "𐐨",     // letters whose capitals differ in size, or not at all
        "e\u0301", "a\u0308\u0323", "1\uFE0F\u20E3",                          // combining sequences, a keycap
        "日", "本", "語", "한", "क्षि", "ก", "ع",                             // CJK, a Hangul syllable, a conjunct, Thai, Arabic
        "😀", "👍🏽", "🇫🇷", "🇯🇵", "👨‍👩‍👧", "🏳️‍🌈", "❤️",                   // emoji: skin tone, flags, ZWJ sequences
    ];

    private static readonly string[] WholeAsciiElements = [.. WholeElements.Where(e => Ascii.IsValid(e))];

    // Lines cannot hold these: they would end the line or join its ending.
    private static readonly string[] LineBreaks = ["\n", "\r\n"];

    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>Valid text made of <see cref="WholeElements"/>, sometimes only ASCII ones (the
    /// fast paths); with line breaks unless it is to be a line.</summary>
    public string Elements(int maxCount, bool lineBreaks = true)
    {
        string[] pool = _random.Next(4) == 0 ? WholeAsciiElements : WholeElements;
        var text = new StringBuilder();
        for (int count = _random.Next(maxCount + 1); count > 0; count--)
        {
            text.Append(lineBreaks && _random.Next(12) == 0 ? Pick(LineBreaks) : Pick(pool));
        }

        return text.ToString();
    }

    /// <summary>Valid text of any Unicode scalar values, from every plane, assigned or not,
    /// combining marks and lone regional indicators included.</summary>
    public string ScalarValues(int maxCount)
    {
        var text = new StringBuilder();
        for (int count = _random.Next(maxCount + 1); count > 0; count--)
        {
            int value = _random.Next(4) switch
            {
                0 => _random.Next(0x80),
                1 => _random.Next(0x80, 0x800),
                2 => _random.Next(0x800, 0x10000),
                _ => _random.Next(0x10000, 0x110000),
            };
            text.Append(Rune.IsValid(value) ? new Rune(value).ToString() : "\uFFFD");
        }

        return text.ToString();
    }

    /// <summary>Bytes of every kind: random ones, which are seldom valid UTF-8, between pieces of
    /// valid text, cut anywhere.</summary>
    public byte[] Binary(int maxLength)
    {
        var bytes = new List<byte>();
        while (bytes.Count < maxLength && _random.Next(8) != 0)
        {
            if (_random.Next(2) == 0)
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(Elements(8)));
            }
            else
            {
                bytes.AddRange(Enumerable.Range(0, _random.Next(1, 16)).Select(_ => (byte)_random.Next(256)));
            }
        }

        return [.. bytes.Take(_random.Next(maxLength + 1))];
    }

    /// <summary>One byte that is not valid UTF-8 whatever valid text stands around it: a
    /// continuation byte, a lead byte without its continuation, or a byte never used.</summary>
    public byte InvalidByte() => (byte)_random.Next(0x80, 0x100);

    /// <summary>Bytes as a client might write them: one at a time, in random small pieces, or
    /// all in one write.</summary>
    public List<byte[]> Pieces(byte[] bytes)
    {
        int mode = _random.Next(3);
        var pieces = new List<byte[]>();
        for (int start = 0; start < bytes.Length;)
        {
            int length = mode switch
            {
                0 => 1,
                1 => _random.Next(1, 8),
                _ => bytes.Length,
            };
            length = Math.Min(length, bytes.Length - start);
            pieces.Add(bytes[start..(start + length)]);
            start += length;
        }

        return pieces;
    }

    private string Pick(string[] pool) => pool[_random.Next(pool.Length)];
}

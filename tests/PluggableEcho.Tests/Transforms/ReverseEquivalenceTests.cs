using System.Text;
using PluggableEcho.Abstractions;
using static PluggableEcho.Tests.Support.TextOracle;

namespace PluggableEcho.Tests.Transforms;

/// <summary>
/// The reverse transform's fast path, which copies most code points without segmenting, against
/// <see cref="System.Globalization.StringInfo"/>'s text elements: every scalar value beside the
/// code points that join others, and random text made of those and invalid bytes.
/// </summary>
public sealed class ReverseEquivalenceTests
{
    private const int Block = 512;
    private const int Cases = 3000;

    /// <summary>Neighbourhoods for a code point: alone, and next to each kind of code point that a
    /// rule of text segmentation joins to something.</summary>
    private static readonly Func<string, string>[] Neighbourhoods =
    [
        c => c,
        c => "a" + c + "b",
        c => c + c,
        c => c + "\u0301",             // Extend
        c => c + "\u200D😀",           // ZWJ, then an emoji (GB11)
        c => "😀\u200D" + c,
        c => c + "\u0903",             // SpacingMark
        c => "\u0600" + c,             // Prepend
        c => "क्" + c,                  // a consonant and a virama: an Indic conjunct (GB9c)
        c => "\U0001F1EB" + c + "\U0001F1F7", // regional indicators (flags)
        c => "\u1100" + c + "\u1161",  // Hangul L before, V after
        c => "\r" + c + "\n",
    ];

    /// <summary>Pieces that join, or may: marks, joiners, variation selectors, skin tones, flags'
    /// halves, jamo, Indic consonants and viramas, prepended marks, CR and LF; and pieces that
    /// do not: ASCII, é ß ж, 😀, CJK, controls.</summary>
    private static readonly string[] Pieces =
    [
        "a", "b", " ", "hello world, ", "\t", "é", "ß", "ж", "😀", "👨", "👩", "❤", "©", "日", "ɐ", "\u00AD",
        "\r", "\n", "\r\n", "\u0301", "\u0308", "\u0483", "\u200D", "\u200C", "\uFE0F", "\U0001F3FD",
        "\U0001F1EB", "\U0001F1F7", "\U0001F1EF", "\u1100", "\u1161", "\u11A8", "가", "각",
        "क", "्", "ष", "ि", "\u0903", "\u0600", "\u0D4E", "\u0E33", "\U000E0067", "\U000E007F", "\U0001F3F4",
    ];

    [Test]
    public void Every_scalar_value_keeps_its_elements_whole_beside_code_points_that_join()
    {
        ITransform reverse = Support.Transforms.Create("reverse");
        foreach (int[] block in Enumerable.Range(0, 0x110000).Where(Rune.IsValid).Chunk(Block))
        {
            foreach (Func<string, string> neighbourhood in Neighbourhoods)
            {
                byte[] input = Encoding.UTF8.GetBytes(string.Concat(block.Select(value => neighbourhood(char.ConvertFromUtf32(value)))));

                byte[] output = Support.Transforms.Run(reverse, input);

                Assert.That(output, Is.EqualTo(Reverse(input)), () => Explain(reverse, block, neighbourhood));
            }
        }
    }

    [Test]
    public void Random_text_of_pieces_that_join_and_invalid_bytes_reverses_as_strings_do([Values(8, 80)] int maxPieces)
    {
        ITransform reverse = Support.Transforms.Create("reverse");
        var random = new Random(12 + maxPieces);
        for (int i = 0; i < Cases; i++)
        {
            var bytes = new List<byte>();
            for (int count = random.Next(maxPieces + 1); count > 0; count--)
            {
                if (random.Next(10) == 0)
                {
                    bytes.Add((byte)random.Next(0x80, 0x100));
                }
                else
                {
                    bytes.AddRange(Encoding.UTF8.GetBytes(Pieces[random.Next(Pieces.Length)]));
                }
            }

            byte[] input = [.. bytes];

            Assert.That(Support.Transforms.Run(reverse, input), Is.EqualTo(Reverse(input)), $"for {Show(input)}");
        }
    }

    /// <summary>The first code point of the block that goes wrong on its own, or else the block.</summary>
    private static string Explain(ITransform reverse, int[] block, Func<string, string> neighbourhood)
    {
        foreach (int value in block)
        {
            byte[] input = Encoding.UTF8.GetBytes(neighbourhood(char.ConvertFromUtf32(value)));
            byte[] output = Support.Transforms.Run(reverse, input);
            if (!output.AsSpan().SequenceEqual(Reverse(input)))
            {
                return $"U+{value:X4} in {Show(input)} reverses as {Show(output)}, not {Show(Reverse(input))}";
            }
        }

        return $"U+{block[0]:X4}..U+{block[^1]:X4} together, as {Show(neighbourhood("X"))} each";
    }
}

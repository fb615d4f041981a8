using System.Text;
using PluggableEcho.Abstractions;
using PluggableEcho.Tests.Support;
using static PluggableEcho.Tests.Support.TextOracle;

namespace PluggableEcho.Tests.Transforms;

/// <summary>The uppercase transform's table and fast paths against <see cref="string.ToUpperInvariant"/>:
/// every scalar value, and random text with invalid bytes, into outputs of any size.</summary>
public sealed class UppercaseEquivalenceTests
{
    private const int Block = 4096;
    private const int Cases = 2000;

    // Characters whose capitals are longer (ɐ ȿ ɫ ɱ: 2 bytes to 3), shorter (ſ ı: 2 to 1), or not
    // there at all (ß), cased ones of every length (é ж ⓐ 𐐨 𞤢), and some that are not (😀 日).
    private static readonly string[] Tricky = ["ɐ", "ȿ", "ɫ", "ɱ", "ſ", "ı", "ß", "é", "ж", "ⓐ", "𐐨", "𞤢", "😀", "日", "ǆ", "ﬀ"];

    private static IEnumerable<int> ScalarValues => Enumerable.Range(0, 0x110000).Where(Rune.IsValid);

    [Test]
    public void Every_scalar_value_is_upper_cased_as_strings_are([Values] bool betweenAsciiLetters)
    {
        ITransform uppercase = Support.Transforms.Create("uppercase");
        foreach (int[] block in ScalarValues.Chunk(Block))
        {
            string text = string.Concat(block.Select(value => betweenAsciiLetters ? $"a{char.ConvertFromUtf32(value)}z" : char.ConvertFromUtf32(value)));

            byte[] output = Support.Transforms.Run(uppercase, Encoding.UTF8.GetBytes(text));

            if (!output.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text.ToUpperInvariant())))
            {
                int wrong = block.First(value => Support.Transforms.Run("uppercase", char.ConvertFromUtf32(value)) != Upper(value));
                Assert.Fail($"U+{wrong:X4} {Show(char.ConvertFromUtf32(wrong))} upper-cases as {Show(Support.Transforms.Run("uppercase", char.ConvertFromUtf32(wrong)))}");
            }
        }
    }

    private static string Upper(int value) => char.ConvertFromUtf32(value).ToUpperInvariant();

    /// <summary>What lets the transform ask for room twice at most: in UTF-8 no character's
    /// capital is more than half as long again as it is (ɐ, 2 bytes, to Ɐ, 3, is the worst).</summary>
    [Test]
    public void No_character_grows_by_more_than_half_when_upper_cased()
    {
        int[] growing = [.. ScalarValues.Where(value => 2 * UpperLength(value) > 3 * new Rune(value).Utf8SequenceLength)];
        Assert.That(growing.Select(value => $"U+{value:X4}"), Is.Empty);
        Assert.That(ScalarValues.Any(value => 2 * UpperLength(value) == 3 * new Rune(value).Utf8SequenceLength), "the bound is reached");

        static int UpperLength(int value) => Encoding.UTF8.GetByteCount(Upper(value));
    }

    [Test]
    public void Random_text_with_invalid_bytes_matches_whatever_room_the_output_gives([Values] bool exactRoom)
    {
        ITransform uppercase = Support.Transforms.Create("uppercase");
        var random = new Random(11);
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = RandomBytes(random);

            byte[] output;
            if (exactRoom)
            {
                var writer = new ExactSizeWriter();
                uppercase.Transform(input, writer);
                output = writer.Written;
                Assert.That(writer.Requests, Is.LessThanOrEqualTo(2), $"asked for room again and again for {Show(input)}");
            }
            else
            {
                output = Support.Transforms.Run(uppercase, input);
            }

            Assert.That(output, Is.EqualTo(Uppercase(input)), $"for {Show(input)}");
        }
    }

    /// <summary>Runs of ASCII long and short (the vector path and its edges), tricky characters,
    /// random scalar values and random bytes, which are mostly invalid.</summary>
    private static byte[] RandomBytes(Random random)
    {
        var bytes = new List<byte>();
        for (int parts = random.Next(30); parts > 0; parts--)
        {
            switch (random.Next(5))
            {
                case 0:
                    bytes.AddRange(Enumerable.Range(0, random.Next(40)).Select(_ => (byte)random.Next(0x80)));
                    break;
                case 1:
                    bytes.AddRange(Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, random.Next(1, 20)).Select(_ => Tricky[random.Next(Tricky.Length)]))));
                    break;
                case 2:
                    bytes.AddRange(Encoding.UTF8.GetBytes(new RandomText(random.Next()).ScalarValues(10)));
                    break;
                case 3:
                    bytes.Add((byte)random.Next(0x80, 0x100));
                    break;
                default:
                    byte[] tricky = Encoding.UTF8.GetBytes(Tricky[random.Next(Tricky.Length)]);
                    bytes.AddRange(tricky.Take(random.Next(tricky.Length))); // A character cut short.
                    break;
            }
        }

        return [.. bytes];
    }
}

using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Transforms;

public sealed class SampleTransformTests
{
    private static readonly string[] Samples = ["uppercase", "reverse", "rot13"];

    [TestCase("hello", "HELLO")]
    [TestCase("héllo wörld", "HÉLLO WÖRLD")]
    [TestCase("ɐ ȿ", "Ɐ Ȿ")] // 2-byte letters whose capitals take 3 bytes
    [TestCase("", "")]
    public void Uppercase_maps_every_letter_and_leaves_the_rest(string input, string expected) =>
        Assert.That(Support.Transforms.Run("uppercase", input), Is.EqualTo(expected));

    [TestCase("abc", "cba")]
    [TestCase("añb😀", "😀bña")]
    [TestCase("日本語", "語本日")]
    public void Reverse_keeps_multi_byte_characters_whole(string input, string expected) =>
        Assert.That(Support.Transforms.Run("reverse", input), Is.EqualTo(expected));

    [TestCase("Hello, World!", "Uryyb, Jbeyq!")]
    [TestCase("héllo", "uéyyb")]
    public void Rot13_rotates_ascii_letters_only(string input, string expected) =>
        Assert.That(Support.Transforms.Run("rot13", input), Is.EqualTo(expected));

    [Test]
    public void Rot13_twice_is_the_identity_on_every_byte()
    {
        byte[] everyByte = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        Assert.That(Support.Transforms.Run("rot13", Support.Transforms.Run("rot13", everyByte)), Is.EqualTo(everyByte));
    }

    [Test]
    public void Binary_input_never_throws_and_invalid_bytes_pass_through([ValueSource(nameof(Samples))] string name)
    {
        var random = new Random(1234);
        for (int i = 0; i < 200; i++)
        {
            byte[] input = new byte[random.Next(0, 300)];
            random.NextBytes(input);
            Assert.That(() => Support.Transforms.Run(name, input), Throws.Nothing);
        }

        byte[] invalid = [0xFF, (byte)'a', 0xC3, 0x28, 0xE2, 0x82];
        Assert.That(Support.Transforms.Run(name, invalid).Where(b => b >= 0x80), Is.EquivalentTo(invalid.Where(b => b >= 0x80)));
    }

    [Test]
    public void Reverse_twice_gives_back_any_text()
    {
        var random = new Random(99);
        for (int i = 0; i < 200; i++)
        {
            var text = new StringBuilder();
            for (int c = random.Next(0, 100); c > 0; c--)
            {
                int codePoint = random.Next(0, 4) == 0 ? random.Next(0x80, 0x10FFFF) : random.Next(0x20, 0x7F);
                text.Append(Rune.IsValid(codePoint) ? char.ConvertFromUtf32(codePoint) : "?");
            }

            byte[] input = Encoding.UTF8.GetBytes(text.ToString());
            Assert.That(Support.Transforms.Run("reverse", Support.Transforms.Run("reverse", input)), Is.EqualTo(input));
        }
    }

    [Test]
    public void Uppercase_and_rot13_keep_the_length_of_binary_input([Values("uppercase", "rot13")] string name)
    {
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            // Bytes below 0xC0 are never the start of a character that upper-casing could grow.
            byte[] input = [.. Enumerable.Range(0, random.Next(0, 300)).Select(_ => (byte)random.Next(0, 0xC0))];
            Assert.That(Support.Transforms.Run(name, input), Has.Length.EqualTo(input.Length));
        }
    }

    [Test]
    public void Uppercase_output_is_valid_utf8_when_the_input_was()
    {
        string text = string.Concat(Enumerable.Range(0x20, 0x3000).Where(c => !char.IsSurrogate((char)c)).Select(c => (char)c));
        byte[] output = Support.Transforms.Run("uppercase", Encoding.UTF8.GetBytes(text));
        Assert.That(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(output), Throws.Nothing);
        Assert.That(Encoding.UTF8.GetString(output), Is.EqualTo(text.ToUpperInvariant()));
    }
}

using System.Text;
using System.Text.Unicode;
using PluggableEcho.Abstractions;
using PluggableEcho.Tests.Support;
using static PluggableEcho.Tests.Support.TextOracle;

namespace PluggableEcho.Tests.Transforms;

/// <summary>What the sample transforms promise, checked on many random messages (fixed seeds).</summary>
public sealed class TransformPropertyTests
{
    private const int Cases = 500;
    private static readonly string[] Samples = ["uppercase", "reverse", "rot13"];

    [Test]
    public void Valid_text_gives_what_the_framework_gives_on_strings_and_stays_valid(
        [ValueSource(nameof(Samples))] string name, [Values] bool anyScalarValues)
    {
        ITransform transform = Support.Transforms.Create(name);
        var random = new RandomText(seed: 1);
        for (int i = 0; i < Cases; i++)
        {
            string text = anyScalarValues ? random.ScalarValues(40) : random.Elements(40);

            byte[] output = Support.Transforms.Run(transform, Encoding.UTF8.GetBytes(text));

            Assert.That(Utf8.IsValid(output), $"invalid output for {Show(text)}: {Show(output)}");
            Assert.That(Encoding.UTF8.GetString(output), Is.EqualTo(Apply(name, text)), $"for {Show(text)}");
        }
    }

    [Test]
    public void Binary_input_never_throws_and_keeps_its_bytes([ValueSource(nameof(Samples))] string name)
    {
        ITransform transform = Support.Transforms.Create(name);
        var random = new RandomText(seed: 2);
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = random.Binary(300);

            byte[] output = Support.Transforms.Run(transform, input);

            if (name == "reverse")
            {
                Assert.That(output.Order(), Is.EqualTo(input.Order()), $"the same bytes, reordered, for {Show(input)}");
            }
            else if (name == "rot13")
            {
                Assert.That(output, Is.EqualTo(input.Select(Rot13)), $"for {Show(input)}");
            }
        }
    }

    /// <summary>What <see cref="ILinewiseTransform"/> promises, so that the host may hand it runs
    /// of lines: the whole is the lines' results, each with its own ending, on any text.</summary>
    [Test]
    public void A_linewise_sample_transforms_a_run_of_lines_as_each_line_alone([ValueSource(nameof(Samples))] string name)
    {
        ITransform transform = Support.Transforms.Create(name);
        Assume.That(transform, Is.InstanceOf<ILinewiseTransform>(), $"{name} does not say it is linewise");
        var random = new RandomText(seed: 4);
        for (int i = 0; i < Cases; i++)
        {
            byte[][] lines = [.. Enumerable.Range(0, random.Random.Next(1, 8)).Select(_ => Line())];
            byte[][] endings = [.. lines.Select(_ => random.Random.Next(2) == 0 ? "\n"u8.ToArray() : "\r\n"u8.ToArray())];
            byte[] run = [.. lines.Zip(endings, (line, ending) => line.Concat(ending)).SelectMany(b => b)];

            byte[] expected = [.. lines.Zip(endings, (line, ending) => Support.Transforms.Run(transform, line).Concat(ending)).SelectMany(b => b)];
            Assert.That(Support.Transforms.Run(transform, run), Is.EqualTo(expected), $"for {Show(run)}");
        }

        // Text, or bytes that are not text, without line endings of their own; invalid bytes and
        // characters cut short may come right before an ending.
        byte[] Line()
        {
            byte[] line = random.Random.Next(3) == 0 ? random.Binary(30) : Encoding.UTF8.GetBytes(random.Elements(20, lineBreaks: false));
            line = [.. line.Where(b => b != '\n')];
            return random.Random.Next(4) == 0 ? [.. line, random.InvalidByte()] : line;
        }
    }

    [Test]
    public void Uppercase_and_rot13_are_linewise_and_reverse_is_not()
    {
        Assert.That(Support.Transforms.Create("uppercase"), Is.InstanceOf<ILinewiseTransform>());
        Assert.That(Support.Transforms.Create("rot13"), Is.InstanceOf<ILinewiseTransform>());
        Assert.That(Support.Transforms.Create("reverse"), Is.Not.InstanceOf<ILinewiseTransform>(), "it would move the endings");
    }

    [Test]
    public void Rot13_twice_is_the_identity_on_any_bytes()
    {
        ITransform rot13 = Support.Transforms.Create("rot13");
        var random = new RandomText(seed: 3);
        byte[] everyByte = [.. Enumerable.Range(0, 256).Select(b => (byte)b)];
        Assert.That(Support.Transforms.Run(rot13, Support.Transforms.Run(rot13, everyByte)), Is.EqualTo(everyByte));
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = random.Binary(300);
            Assert.That(Support.Transforms.Run(rot13, Support.Transforms.Run(rot13, input)), Is.EqualTo(input), $"for {Show(input)}");
        }
    }

    [Test]
    public void Uppercase_keeps_the_length_of_ascii_and_of_bytes_that_start_no_character()
    {
        ITransform uppercase = Support.Transforms.Create("uppercase");
        var random = new Random(4);
        for (int i = 0; i < Cases; i++)
        {
            // Below 0xC0 a byte is ASCII or a continuation byte, never the start of a character
            // that upper-casing could grow or shrink.
            int limit = random.Next(2) == 0 ? 0x80 : 0xC0;
            byte[] input = [.. Enumerable.Range(0, random.Next(300)).Select(_ => (byte)random.Next(limit))];

            byte[] output = Support.Transforms.Run(uppercase, input);

            Assert.That(output, Is.EqualTo(input.Select(b => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b)), $"for {Show(input)}");
        }
    }

    [Test]
    public void An_invalid_byte_stays_as_it_is_between_the_text_around_it([ValueSource(nameof(Samples))] string name)
    {
        ITransform transform = Support.Transforms.Create(name);
        var random = new RandomText(seed: 5);
        for (int i = 0; i < Cases; i++)
        {
            string before = random.Elements(20);
            string after = random.Random.Next(2) == 0 ? random.Elements(20) : random.ScalarValues(20);
            byte invalid = random.InvalidByte();
            byte[] input = [.. Encoding.UTF8.GetBytes(before), invalid, .. Encoding.UTF8.GetBytes(after)];

            byte[] output = Support.Transforms.Run(transform, input);

            // Reverse swaps the two sides; the invalid byte is one element, so it ends the one before it.
            (string first, string second) = name == "reverse" ? (after, before) : (before, after);
            byte[] expected = [.. Encoding.UTF8.GetBytes(Apply(name, first)), invalid, .. Encoding.UTF8.GetBytes(Apply(name, second))];
            Assert.That(output, Is.EqualTo(expected), $"for {Show(input)}");
        }
    }

    [Test]
    public void Reverse_twice_gives_back_text_made_of_whole_elements()
    {
        ITransform reverse = Support.Transforms.Create("reverse");
        var random = new RandomText(seed: 6);
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = Encoding.UTF8.GetBytes(random.Elements(40));
            Assert.That(Support.Transforms.Run(reverse, Support.Transforms.Run(reverse, input)), Is.EqualTo(input), $"for {Show(input)}");
        }
    }

    /// <summary>
    /// Reverse twice is not the identity on everything. Elements are found from the start, so
    /// bytes that join differently once reversed come back otherwise: a byte of invalid UTF-8
    /// that meets another and makes a valid character, a combining mark with nothing before
    /// it, an odd regional indicator, a line feed before a carriage return.
    /// </summary>
    [TestCase("A9C2", "C2A9", Description = "two invalid bytes become ©")]
    [TestCase("CC8161", "61CC81", Description = "a lone combining acute, then a, becomes á")]
    [TestCase("F09F87A6F09F87A7F09F87A8", "F09F87A8F09F87A6F09F87A7", Description = "🇦🇧🇨 becomes 🇨🇦🇧, which pairs 🇨🇦")]
    [TestCase("0A0D", "0D0A", Description = "\\n\\r becomes \\r\\n, one element")]
    public void Reverse_twice_does_not_give_back_input_whose_elements_join_once_reversed(string input, string reversed)
    {
        ITransform reverse = Support.Transforms.Create("reverse");
        byte[] once = Support.Transforms.Run(reverse, Convert.FromHexString(input));

        Assert.That(Convert.ToHexString(once), Is.EqualTo(reversed));
        Assert.That(Convert.ToHexString(Support.Transforms.Run(reverse, once)), Is.Not.EqualTo(input));
    }
}

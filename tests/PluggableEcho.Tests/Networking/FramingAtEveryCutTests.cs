using System.Text;
using PluggableEcho.Host.Networking.Framing;
using static PluggableEcho.Tests.Support.FramerDriver;
using static PluggableEcho.Tests.Support.LengthPrefix;

namespace PluggableEcho.Tests.Networking;

/// <summary>However the stream is cut into reads, the framers find the same messages.</summary>
public sealed class FramingAtEveryCutTests
{
    // Empty lines, \n and \r\n endings, a \r inside a line, a \r just before an ending.
    private static readonly string[] Lines = ["one", "", "two", "", "th\rree", "four\r", "é😀"];
    private static readonly string[] LineEndings = ["\n", "\r\n", "\r\n", "\n", "\n", "\r\n", "\n"];

    // An empty message, newlines inside one, and one long enough to need two bytes of its header.
    private static readonly string[] Messages = ["hi", "", "a\nb\r\n", "\r\n", new string('x', 300), "é😀"];

    [Test]
    public void Lines_are_the_same_wherever_one_or_two_cuts_fall()
    {
        byte[] stream = Encoding.UTF8.GetBytes(string.Concat(Lines.Zip(LineEndings, (line, ending) => line + ending)));
        List<string> expected = [.. Lines.Zip(LineEndings, (line, ending) => Show(Encoding.UTF8.GetBytes(line), Encoding.UTF8.GetBytes(ending)))];

        AssertSameAtEveryCut(LineFramer.Instance, stream, expected);
    }

    [Test]
    public void Length_prefixed_messages_are_the_same_wherever_one_or_two_cuts_fall()
    {
        byte[] stream = [.. Messages.SelectMany(m => Prefixed(Encoding.UTF8.GetBytes(m)))];
        List<string> expected = [.. Messages.Select(m => Show(Encoding.UTF8.GetBytes(m), []))];

        AssertSameAtEveryCut(LengthPrefixedFramer.Instance, stream, expected);
    }

    private static void AssertSameAtEveryCut(IFramer framer, byte[] stream, List<string> expected)
    {
        Assert.That(Frames(framer, [stream]), Is.EqualTo(expected), "all in one read");
        Assert.That(Frames(framer, stream.Select(b => new[] { b })), Is.EqualTo(expected), "one byte per read");
        for (int first = 0; first <= stream.Length; first++)
        {
            Assert.That(Frames(framer, Cut(stream, first)), Is.EqualTo(expected), $"cut at {first}");
            for (int second = first; second <= stream.Length; second += 7)
            {
                Assert.That(Frames(framer, Cut(stream, first, second)), Is.EqualTo(expected), $"cut at {first} and {second}");
            }
        }
    }
}

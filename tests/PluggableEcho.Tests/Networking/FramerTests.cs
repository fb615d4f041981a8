using System.Text;
using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Tests.Networking;

public sealed class FramerTests
{
    [TestCase("hello\n", "hello", 6)]
    [TestCase("hello\r\n", "hello", 7)]
    [TestCase("\n", "", 1)]
    [TestCase("\r\n", "", 2)]
    [TestCase("a\rb\n", "a\rb", 4)]
    [TestCase("one\ntwo\n", "one", 4)]
    public void A_line_ends_at_its_first_newline_without_the_ending(string input, string message, int length)
    {
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, out Frame frame), Is.True);
        Assert.That(input[..frame.MessageLength], Is.EqualTo(message));
        Assert.That(frame.Length, Is.EqualTo(length));
    }

    [TestCase("")]
    [TestCase("no end yet")]
    [TestCase("almost\r")]
    public void An_unfinished_line_is_no_frame(string input) =>
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, out _), Is.False);

    [Test]
    public void Bytes_known_to_be_incomplete_are_not_searched_again()
    {
        byte[] input = Encoding.ASCII.GetBytes("ab\ncd\n");

        Assert.That(LineFramer.Instance.TryReadFrame(input, 3, out Frame frame), Is.True);
        Assert.That(frame, Is.EqualTo(new Frame(5, 6)), "the search starts where it was told to");
    }

    [Test]
    public void A_carriage_return_before_the_search_start_still_belongs_to_the_ending()
    {
        byte[] input = Encoding.ASCII.GetBytes("abc\r\n");

        Assert.That(LineFramer.Instance.TryReadFrame(input, 4, out Frame frame), Is.True);
        Assert.That(frame, Is.EqualTo(new Frame(3, 5)));
    }

    [Test]
    public void Raw_takes_everything_received_as_one_message()
    {
        Assert.That(RawFramer.Instance.TryReadFrame("a\nb"u8, 0, out Frame frame), Is.True);
        Assert.That(frame, Is.EqualTo(new Frame(3, 3)));
        Assert.That(RawFramer.Instance.TryReadFrame([], 0, out _), Is.False);
    }
}

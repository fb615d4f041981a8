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
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(input[..frame.MessageLength], Is.EqualTo(message));
        Assert.That(frame.Length, Is.EqualTo(length));
    }

    [TestCase("")]
    [TestCase("no end yet")]
    [TestCase("almost\r")]
    public void An_unfinished_line_is_no_frame(string input) =>
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, 100, out _), Is.EqualTo(FrameStatus.Incomplete));

    [Test]
    public void An_unfinished_line_under_the_largest_limit_is_still_incomplete()
    {
        // The limit plus the one byte of slack for a '\r' must not wrap around.
        Assert.That(LineFramer.Instance.TryReadFrame("no end yet"u8, 0, int.MaxValue, out _), Is.EqualTo(FrameStatus.Incomplete));
    }

    [Test]
    public void Bytes_known_to_be_incomplete_are_not_searched_again()
    {
        byte[] input = Encoding.ASCII.GetBytes("ab\ncd\n");

        Assert.That(LineFramer.Instance.TryReadFrame(input, 3, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(frame, Is.EqualTo(new Frame(0, 5, 6)), "the search starts where it was told to");
    }

    [Test]
    public void A_carriage_return_before_the_search_start_still_belongs_to_the_ending()
    {
        byte[] input = Encoding.ASCII.GetBytes("abc\r\n");

        Assert.That(LineFramer.Instance.TryReadFrame(input, 4, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(frame, Is.EqualTo(new Frame(0, 3, 5)));
    }

    [Test]
    public void Raw_takes_everything_received_as_one_message()
    {
        Assert.That(RawFramer.Instance.TryReadFrame("a\nb"u8, 0, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(frame, Is.EqualTo(new Frame(0, 3, 3)));
        Assert.That(RawFramer.Instance.TryReadFrame([], 0, 100, out _), Is.EqualTo(FrameStatus.Incomplete));
    }

    [TestCase("abcdef\n", 6)]
    [TestCase("abcdef\r\n", 6)]
    public void A_line_longer_than_allowed_is_too_long_and_its_length_known(string input, int max)
    {
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, max - 1, out Frame frame), Is.EqualTo(FrameStatus.TooLong));
        Assert.That(frame.Length, Is.EqualTo(input.Length), "the whole line can be skipped");
        Assert.That(LineFramer.Instance.TryReadFrame(Encoding.ASCII.GetBytes(input), 0, max, out _), Is.EqualTo(FrameStatus.Whole));
    }

    [Test]
    public void An_unfinished_line_past_the_limit_is_too_long_before_its_end_arrives()
    {
        Assert.That(LineFramer.Instance.TryReadFrame("abcd\r"u8, 0, 4, out _), Is.EqualTo(FrameStatus.Incomplete), "the \r may still end it");
        Assert.That(LineFramer.Instance.TryReadFrame("abcdef"u8, 0, 4, out Frame frame), Is.EqualTo(FrameStatus.TooLong));
        Assert.That(frame.Length, Is.EqualTo(-1), "its end is not known yet");
    }
}

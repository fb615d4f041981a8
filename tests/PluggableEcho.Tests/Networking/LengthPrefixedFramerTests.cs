using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Tests.Networking;

public sealed class LengthPrefixedFramerTests
{
    private static readonly LengthPrefixedFramer Framer = LengthPrefixedFramer.Instance;

    [Test]
    public void A_message_is_the_bytes_its_header_counts()
    {
        Assert.That(Framer.TryReadFrame([0, 0, 0, 3, (byte)'a', (byte)'\n', (byte)'c', 9, 9], 0, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(frame, Is.EqualTo(new Frame(4, 3, 7)), "after the header, without what follows");
    }

    [Test]
    public void An_empty_message_is_a_header_alone()
    {
        Assert.That(Framer.TryReadFrame([0, 0, 0, 0], 0, 100, out Frame frame), Is.EqualTo(FrameStatus.Whole));
        Assert.That(frame, Is.EqualTo(new Frame(4, 0, 4)));
    }

    [TestCase("")]
    [TestCase("00")]
    [TestCase("0000")]
    [TestCase("000000")]
    [TestCase("00000002")]
    [TestCase("0000000261")]
    public void A_header_or_message_cut_short_is_no_frame_yet(string hex) =>
        Assert.That(Framer.TryReadFrame(Convert.FromHexString(hex), 0, 100, out _), Is.EqualTo(FrameStatus.Incomplete));

    [Test]
    public void A_header_is_big_endian()
    {
        Assert.That(Framer.TryReadFrame(Convert.FromHexString("00000102"), 0, 1000, out Frame frame), Is.EqualTo(FrameStatus.Incomplete));
        Assert.That(frame.MessageLength, Is.EqualTo(0x102));
    }

    [TestCase(100, nameof(FrameStatus.Whole))]
    [TestCase(99, nameof(FrameStatus.TooLong))]
    public void A_message_may_be_as_long_as_allowed_and_no_longer(int maxMessageBytes, string status)
    {
        byte[] input = [0, 0, 0, 100, .. new byte[100]];
        Assert.That(Framer.TryReadFrame(input, 0, maxMessageBytes, out _).ToString(), Is.EqualTo(status));
    }

    [Test]
    public void Too_long_is_known_from_the_header_with_the_whole_frame_length()
    {
        Assert.That(Framer.TryReadFrame([0, 1, 0, 0], 0, 1000, out Frame frame), Is.EqualTo(FrameStatus.TooLong));
        Assert.That(frame.Length, Is.EqualTo(4 + 65536), "so the message can be skipped");
    }

    [Test]
    public void The_longest_message_whose_frame_length_fits_in_an_int_is_only_too_long()
    {
        Assert.That(Framer.TryReadFrame(Convert.FromHexString("7FFFFFFB"), 0, 1 << 20, out Frame frame), Is.EqualTo(FrameStatus.TooLong));
        Assert.That(frame.Length, Is.EqualTo(int.MaxValue));
    }

    [TestCase("7FFFFFFC")]
    [TestCase("80000000")]
    [TestCase("FFFFFFFF")]
    public void A_header_no_frame_length_can_hold_is_malformed(string header) =>
        Assert.That(Framer.TryReadFrame(Convert.FromHexString(header), 0, int.MaxValue, out _), Is.EqualTo(FrameStatus.Malformed));

    [Test]
    public void A_reply_starts_with_its_length_and_has_no_ending()
    {
        Span<byte> header = stackalloc byte[Framer.ReplyHeaderLength];
        Framer.WriteReplyHeader(header, 0x01020304);

        Assert.That(header.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
        Assert.That(Framer.NoticeEnding.IsEmpty);
    }
}

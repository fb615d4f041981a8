using System.Buffers.Binary;

namespace PluggableEcho.Host.Networking.Framing;

/// <summary>
/// Each message is a 4-byte big-endian length, then that many bytes, and each reply likewise
/// carries its own length. Any bytes can be in a message, newlines included.
/// </summary>
internal sealed class LengthPrefixedFramer : IFramer
{
    public static readonly LengthPrefixedFramer Instance = new();

    private const int HeaderLength = sizeof(uint);

    // Longer, and a frame's length would not fit in an int: no such message can be followed.
    private const uint MaxDeclarableLength = int.MaxValue - HeaderLength;

    public int ReplyHeaderLength => HeaderLength;

    public ReadOnlySpan<byte> NoticeEnding => [];

    // Bytes left when the client stops sending are a frame cut short, not a message.
    public bool EndOfInputEndsMessage => false;

    public int MaxFrameOverhead => HeaderLength;

    /// <remarks>The header says where the message ends, so nothing is searched and
    /// <paramref name="knownIncomplete"/> is not needed. A header that declares too long a message
    /// is <see cref="FrameStatus.TooLong"/> at once, with the whole frame's length, before its
    /// bytes arrive.</remarks>
    public FrameStatus TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, int maxMessageBytes, out Frame frame)
    {
        if (input.Length < HeaderLength)
        {
            frame = new Frame(0, 0, -1);
            return FrameStatus.Incomplete;
        }

        uint declared = BinaryPrimitives.ReadUInt32BigEndian(input);
        if (declared > MaxDeclarableLength)
        {
            frame = new Frame(HeaderLength, 0, -1);
            return FrameStatus.Malformed;
        }

        frame = new Frame(HeaderLength, (int)declared, HeaderLength + (int)declared);
        if (frame.MessageLength > maxMessageBytes)
        {
            return FrameStatus.TooLong;
        }

        return input.Length < frame.Length ? FrameStatus.Incomplete : FrameStatus.Whole;
    }

    /// <remarks>Once the header is whole it says; a header cut in two takes the lot.</remarks>
    public int NeededToComplete(ReadOnlySpan<byte> unfinished, ReadOnlySpan<byte> next)
    {
        if (unfinished.Length < HeaderLength)
        {
            return next.Length;
        }

        long frameLength = HeaderLength + (long)BinaryPrimitives.ReadUInt32BigEndian(unfinished);
        return (int)Math.Clamp(frameLength - unfinished.Length, 0, next.Length);
    }

    public void WriteReplyHeader(Span<byte> header, int replyLength) =>
        BinaryPrimitives.WriteInt32BigEndian(header, replyLength);
}

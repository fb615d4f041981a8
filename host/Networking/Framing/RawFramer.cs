namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Each buffer received is one message, as the original polling server had it.
/// Length- or order-sensitive transforms then depend on how the network cut the stream.</summary>
internal sealed class RawFramer : IFramer
{
    public static readonly RawFramer Instance = new();

    public int ReplyHeaderLength => 0;

    public ReadOnlySpan<byte> NoticeEnding => "\n"u8;

    public int MaxFrameOverhead => 0;

    public bool EndOfInputEndsMessage => true;

    public FrameStatus TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, int maxMessageBytes, out Frame frame)
    {
        frame = new Frame(0, input.Length, input.Length);
        if (input.IsEmpty)
        {
            return FrameStatus.Incomplete;
        }

        return input.Length > maxMessageBytes ? FrameStatus.TooLong : FrameStatus.Whole;
    }

    public int NeededToComplete(ReadOnlySpan<byte> unfinished, ReadOnlySpan<byte> next) => next.Length; // Only a backlog is ever kept.

    public void WriteReplyHeader(Span<byte> header, int replyLength)
    {
    }
}

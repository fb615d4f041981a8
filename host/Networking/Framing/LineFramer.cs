namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Messages end with <c>\n</c> or <c>\r\n</c>; the ending is kept out of the message and
/// sent back after the reply.</summary>
internal sealed class LineFramer : IFramer
{
    public static readonly LineFramer Instance = new();

    public int ReplyHeaderLength => 0;

    public ReadOnlySpan<byte> NoticeEnding => "\n"u8;

    public bool EndOfInputEndsMessage => true;

    public int MaxFrameOverhead => 2; // "\r\n"

    public FrameStatus TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, int maxMessageBytes, out Frame frame)
    {
        int newline = input[knownIncomplete..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            // One byte of slack: a trailing '\r' may yet turn out to be part of the ending.
            // Subtracted, not added to the limit: int.MaxValue + 1 would wrap.
            frame = new Frame(0, input.Length, -1);
            return input.Length - 1 > maxMessageBytes ? FrameStatus.TooLong : FrameStatus.Incomplete;
        }

        newline += knownIncomplete;
        int messageLength = newline > 0 && input[newline - 1] == '\r' ? newline - 1 : newline;
        frame = new Frame(0, messageLength, newline + 1);
        return messageLength > maxMessageBytes ? FrameStatus.TooLong : FrameStatus.Whole;
    }

    public int NeededToComplete(ReadOnlySpan<byte> unfinished, ReadOnlySpan<byte> next)
    {
        int newline = next.IndexOf((byte)'\n');
        return newline < 0 ? next.Length : newline + 1;
    }

    public void WriteReplyHeader(Span<byte> header, int replyLength)
    {
    }

    /// <summary>
    /// The run of whole lines at the front that a linewise pipeline can take in one call: up to
    /// the last <c>\n</c> within <paramref name="reach"/> bytes. Two vectorised searches over the
    /// run, instead of one per line.
    /// </summary>
    /// <param name="reach">At most max_message_bytes + 1, so that no line in the run is too long.</param>
    /// <returns>How many bytes the run takes; 0 if no whole line is within reach.</returns>
    public static int FindRun(ReadOnlySpan<byte> input, int reach, out int lines)
    {
        ReadOnlySpan<byte> within = input[..Math.Min(input.Length, reach)];
        int run = within.LastIndexOf((byte)'\n') + 1;
        lines = run == 0 ? 0 : within[..run].Count((byte)'\n');
        return run;
    }
}

namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Cuts a byte stream into messages, and frames the replies. Stateless: what is
/// unfinished stays with the connection.</summary>
internal interface IFramer
{
    /// <summary>How many bytes each reply starts with (a length header, say); written by
    /// <see cref="WriteReplyHeader"/> once the reply is known.</summary>
    int ReplyHeaderLength { get; }

    /// <summary>What ends a notice from the server itself (<c>ERR …</c>), as a reply's own
    /// ending would.</summary>
    ReadOnlySpan<byte> NoticeEnding { get; }

    /// <summary>Whether bytes left unframed when the client stops sending are a last message
    /// (an unterminated line) rather than a cut-off one (half a length-prefixed frame).</summary>
    bool EndOfInputEndsMessage { get; }

    /// <summary>How many bytes a frame may have besides its message (an ending, a header): a
    /// message of at most <c>max_message_bytes</c> is whole within that many more.</summary>
    int MaxFrameOverhead { get; }

    /// <summary>Finds the first message in <paramref name="input"/>.</summary>
    /// <param name="knownIncomplete">How many bytes at the front were already seen to hold no
    /// whole message, so a message that arrives in many pieces is not searched again and again.</param>
    /// <param name="maxMessageBytes">Longer messages are <see cref="FrameStatus.TooLong"/>.</param>
    FrameStatus TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, int maxMessageBytes, out Frame frame);

    /// <summary>How many bytes of <paramref name="next"/> the unfinished frame held in
    /// <paramref name="unfinished"/> needs to be whole, as far as that can be told without
    /// joining them; all of <paramref name="next"/> when it cannot. What follows is framed where
    /// it was received, rather than copied after the unfinished frame first.</summary>
    int NeededToComplete(ReadOnlySpan<byte> unfinished, ReadOnlySpan<byte> next);

    /// <summary>Fills the <see cref="ReplyHeaderLength"/> bytes reserved before a reply.</summary>
    void WriteReplyHeader(Span<byte> header, int replyLength);
}

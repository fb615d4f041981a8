namespace PluggableEcho.Host.Networking.Framing;

/// <summary>What a framer found at the front of the received bytes.</summary>
internal enum FrameStatus
{
    /// <summary>No whole message yet: wait for more bytes.</summary>
    Incomplete,

    /// <summary>A whole message, described by the <see cref="Frame"/>.</summary>
    Whole,

    /// <summary>A message longer than allowed. The frame's <see cref="Frame.Length"/> is how many
    /// bytes it takes up from the front, or -1 while its end is not known yet.</summary>
    TooLong,

    /// <summary>The bytes cannot be framed at all (an impossible length header, say): the stream
    /// cannot be followed any further.</summary>
    Malformed,
}

/// <summary>
/// Where one message sits at the front of the received bytes: the message is the
/// <see cref="MessageLength"/> bytes from <see cref="MessageStart"/> (after a length header, say),
/// and the bytes after it up to <see cref="Length"/> end it (a line's terminator); those are sent
/// back after the reply.
/// </summary>
internal readonly record struct Frame(int MessageStart, int MessageLength, int Length)
{
    public int MessageEnd => MessageStart + MessageLength;
}

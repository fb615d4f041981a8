namespace PluggableEcho.Host.Networking.Framing;

/// <summary>Messages end with <c>\n</c> or <c>\r\n</c>; the ending is kept out of the message and
/// sent back after the reply.</summary>
internal sealed class LineFramer : IFramer
{
    public static readonly LineFramer Instance = new();

    public bool TryReadFrame(ReadOnlySpan<byte> input, int knownIncomplete, out Frame frame)
    {
        int newline = input[knownIncomplete..].IndexOf((byte)'\n');
        if (newline < 0)
        {
            frame = default;
            return false;
        }

        newline += knownIncomplete;
        int messageLength = newline > 0 && input[newline - 1] == '\r' ? newline - 1 : newline;
        frame = new Frame(messageLength, newline + 1);
        return true;
    }
}

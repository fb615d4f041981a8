using System.Text;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Host.Networking;

/// <summary>The server's own one-line messages to a client, framed like replies so that a client
/// of any framing can read them.</summary>
internal sealed class Notices
{
    public Notices(IFramer framer, ConnectionLimits limits)
    {
        MessageTooLong = Frame(framer, $"ERR message longer than {limits.MaxMessageBytes} bytes");
        Malformed = Frame(framer, "ERR malformed frame");
        CutOff = Frame(framer, "ERR input ended in the middle of a message");
        MaxConnectionsReached = Frame(framer, "ERR max connections reached");
        ServerBusy = Frame(framer, "ERR server busy");
        MaxConnectionsPerIpReached = Frame(framer, "ERR max connections per ip reached");
        MessageTimeout = Frame(framer, $"ERR message timeout: not whole within {limits.MessageTimeout.TotalSeconds:0.###} s");
    }

    public byte[] MessageTimeout { get; }

    public byte[] MessageTooLong { get; }

    public byte[] Malformed { get; }

    public byte[] CutOff { get; }

    public byte[] MaxConnectionsReached { get; }

    public byte[] ServerBusy { get; }
    public byte[] MaxConnectionsPerIpReached { get; }

    private static byte[] Frame(IFramer framer, string text)
    {
        var framed = new ByteBuffer();
        framed.Reserve(framer.ReplyHeaderLength);
        framed.Write(Encoding.UTF8.GetBytes(text));
        framer.WriteReplyHeader(framed.WrittenRange(0, framer.ReplyHeaderLength), framed.Length - framer.ReplyHeaderLength);
        framed.Write(framer.NoticeEnding);
        byte[] bytes = framed.WrittenSpan.ToArray();
        framed.Release();
        return bytes;
    }
}

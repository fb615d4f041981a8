using System.Buffers.Binary;

namespace PluggableEcho.Tests.Support;

/// <summary>The length-prefixed wire format, written independently of the server's framer.</summary>
internal static class LengthPrefix
{
    /// <summary>A 4-byte big-endian length, then the message.</summary>
    public static byte[] Prefixed(byte[] message)
    {
        byte[] framed = new byte[4 + message.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, message.Length);
        message.CopyTo(framed, 4);
        return framed;
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>PROXY protocol headers as a balancer writes them, for the tests to send.</summary>
internal static class ProxyHeaders
{
    public static readonly byte[] V2Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    public static byte[] V1(IPEndPoint client, IPEndPoint server) => Encoding.ASCII.GetBytes(
        $"PROXY {(client.AddressFamily == AddressFamily.InterNetwork ? "TCP4" : "TCP6")} {client.Address} {server.Address} {client.Port} {server.Port}\r\n");

    /// <summary>A v2 PROXY header for TCP, with <paramref name="tlvBytes"/> bytes of TLVs after the addresses.</summary>
    public static byte[] V2(IPEndPoint client, IPEndPoint server, int tlvBytes = 0)
    {
        bool v4 = client.AddressFamily == AddressFamily.InterNetwork;
        int addressBytes = v4 ? 12 : 36;
        var header = new byte[16 + addressBytes + tlvBytes];
        V2Signature.CopyTo(header, 0);
        header[12] = 0x21; // Version 2, PROXY.
        header[13] = v4 ? (byte)0x11 : (byte)0x21;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(addressBytes + tlvBytes));
        int size = v4 ? 4 : 16;
        client.Address.GetAddressBytes().CopyTo(header, 16);
        server.Address.GetAddressBytes().CopyTo(header, 16 + size);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(16 + (2 * size)), (ushort)client.Port);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(18 + (2 * size)), (ushort)server.Port);
        WriteNoOpTlvs(header.AsSpan(16 + addressBytes));
        return header;
    }

    /// <summary>A v2 <c>LOCAL</c> header, as a balancer's health check sends: no client in it.</summary>
    public static byte[] V2Local()
    {
        var header = new byte[16];
        V2Signature.CopyTo(header, 0);
        header[12] = 0x20;
        return header;
    }

    /// <summary>Fills <paramref name="tlvs"/> with PP2_TYPE_NOOP entries (type 0x04), as padding.</summary>
    private static void WriteNoOpTlvs(Span<byte> tlvs)
    {
        while (tlvs.Length >= 3)
        {
            int value = Math.Min(tlvs.Length - 3, 200);
            tlvs[0] = 0x04;
            BinaryPrimitives.WriteUInt16BigEndian(tlvs[1..], (ushort)value);
            tlvs = tlvs[(3 + value)..];
        }

        tlvs.Fill(0x04); // Fewer than 3 bytes left: a caller that asks for that gets them as they are.
    }
}

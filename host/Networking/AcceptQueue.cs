using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// How many clients wait in a listening socket's accept queue, so that an acceptor takes just
/// those instead of asking the system before each accept whether another waits (a poll per
/// client) or accepting until it is refused (an exception per burst). Linux tells it in
/// <c>TCP_INFO</c>: for a listener, <c>tcpi_unacked</c> is the number of clients ready to accept.
/// </summary>
internal static class AcceptQueue
{
    private const int SolTcp = 6; // IPPROTO_TCP
    private const int TcpInfo = 11;
    private const int UnackedOffset = 24; // Seven one-byte fields and a pad, then rto, ato, snd_mss, rcv_mss.

    /// <returns>How many wait; -1 where the system does not say.</returns>
    public static int Waiting(Socket listener)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        Span<byte> info = stackalloc byte[UnackedOffset + sizeof(uint)];
        try
        {
            int length = listener.GetRawSocketOption(SolTcp, TcpInfo, info);
            return length == info.Length ? (int)Math.Min(MemoryMarshal.Read<uint>(info[UnackedOffset..]), int.MaxValue) : -1;
        }
        catch (SocketException)
        {
            return -1;
        }
    }
}

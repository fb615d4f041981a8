using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>Binds the listening sockets: one, or one per loop sharing the port through
/// SO_REUSEPORT so that the kernel spreads new clients over the loops.</summary>
internal static class ListenerGroup
{
    private const int ListenBacklog = 4096; // The kernel caps it at net.core.somaxconn.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    public static bool CanShare => OperatingSystem.IsLinux();

    /// <exception cref="SocketException">The address is taken, or cannot be bound.</exception>
    public static Socket[] Bind(IPEndPoint endPoint, int count)
    {
        if (count == 1)
        {
            // No ReuseAddress: on Linux .NET turns it into SO_REUSEPORT as well, which would let a
            // second server bind the same port and quietly share its clients.
            return [Listen(endPoint, share: false)];
        }

        // SO_REUSEPORT would let us join a group that another server already listens with. Bind
        // once without it first: that fails, as a single listener would, if the port is taken at
        // all, and with port 0 it picks the port the group then shares.
        using (Socket probe = NewSocket(endPoint))
        {
            probe.Bind(endPoint);
            endPoint = (IPEndPoint)probe.LocalEndPoint!;
        }

        var listeners = new List<Socket>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                listeners.Add(Listen(endPoint, share: true));
            }

            return [.. listeners];
        }
        catch
        {
            listeners.ForEach(listener => listener.Dispose());
            throw;
        }
    }

    private static Socket Listen(IPEndPoint endPoint, bool share)
    {
        Socket listener = NewSocket(endPoint);
        try
        {
            if (share)
            {
                listener.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }

            listener.Bind(endPoint);
            listener.Listen(ListenBacklog);
            listener.Blocking = false;
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static Socket NewSocket(IPEndPoint endPoint) => new(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
}

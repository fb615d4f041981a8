using System.Net;
using System.Net.Sockets;

namespace PluggableEcho.Tests.Support;

/// <summary>A loopback port another socket listens on, for a server that must fail to bind it.</summary>
internal sealed class PortInUse : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public PortInUse()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Listen();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Dispose() => _socket.Dispose();
}

using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>What systemd offers a <c>Type=notify</c> service: a Unix datagram socket, named to the
/// service in <c>NOTIFY_SOCKET</c>, on which each datagram is one message such as "READY=1".</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified)
    {
        ReceiveTimeout = (int)TestClient.Timeout.TotalMilliseconds,
    };

    public NotifySocket(string path)
    {
        Path = path;
        _socket.Bind(new UnixDomainSocketEndPoint(path));
    }

    public string Path { get; }

    /// <summary>The environment that points a process at this socket.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NOTIFY_SOCKET"] = Path };

    /// <summary>Receives messages until <paramref name="message"/>, and returns those before it.</summary>
    /// <exception cref="SocketException">Nothing came within <see cref="TestClient.Timeout"/>.</exception>
    public IReadOnlyList<string> ReceiveUntil(string message)
    {
        var before = new List<string>();
        while (true)
        {
            string received = Receive();
            if (received == message)
            {
                return before;
            }

            before.Add(received);
        }
    }

    /// <summary>The messages already received and not yet read, without waiting for more.</summary>
    public IReadOnlyList<string> ReceivedSoFar()
    {
        var received = new List<string>();
        while (_socket.Available > 0)
        {
            received.Add(Receive());
        }

        return received;
    }

    public void Dispose() => _socket.Dispose();

    private string Receive()
    {
        byte[] buffer = new byte[4096];
        return Encoding.UTF8.GetString(buffer, 0, _socket.Receive(buffer));
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Networking;

/// <summary>A connection's receive and send, and the accept queue's length, on real loopback sockets.</summary>
public sealed class SocketCallsTests
{
    [Test]
    public void Receive_says_would_block_then_gives_the_bytes_then_the_end()
    {
        (Socket server, Socket client) = Pair();
        using (server)
        using (client)
        {
            byte[] buffer = new byte[64];
            Assert.That((Receive(server, buffer, out SocketError error), error), Is.EqualTo((0, SocketError.WouldBlock)));

            client.Send("hello"u8);
            WaitUntil(() => server.Available > 0);
            Assert.That((Receive(server, buffer, out error), error), Is.EqualTo((5, SocketError.Success)));

            client.Shutdown(SocketShutdown.Send);
            WaitUntil(() => server.Poll(0, SelectMode.SelectRead));
            Assert.That((Receive(server, buffer, out error), error), Is.EqualTo((0, SocketError.Success)), "the end of input");
        }
    }

    [Test]
    public void A_reset_is_told_as_a_reset()
    {
        (Socket server, Socket client) = Pair();
        using (server)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Dispose(); // RST, not FIN.
            WaitUntil(() => server.Poll(0, SelectMode.SelectRead));

            Assert.That((Receive(server, new byte[8], out SocketError error), error), Is.EqualTo((0, SocketError.ConnectionReset)));
        }
    }

    [Test]
    public void Send_takes_what_the_kernel_has_room_for_and_then_would_block()
    {
        (Socket server, Socket client) = Pair();
        using (server)
        using (client)
        {
            byte[] lot = new byte[64 << 20]; // More than both sockets' buffers hold, with no reader.

            int sent = SocketCalls.Send(server, (int)server.Handle, lot, out SocketError error);
            Assert.That(error, Is.EqualTo(SocketError.Success));
            Assert.That(sent, Is.GreaterThan(0).And.LessThan(lot.Length), "a short send");

            // Room freed by acknowledgements meanwhile may take a little more, but the buffers fill.
            long total = sent;
            for (int tries = 0; tries < 1000 && error == SocketError.Success; tries++)
            {
                total += SocketCalls.Send(server, (int)server.Handle, lot, out error);
            }

            Assert.That(error, Is.EqualTo(SocketError.WouldBlock));
            Assert.That(total, Is.LessThan(lot.Length));
        }
    }

    [Test]
    public void The_accept_queue_tells_how_many_clients_wait()
    {
        Assume.That(OperatingSystem.IsLinux(), "only Linux tells it");
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        Assert.That(AcceptQueue.Waiting(listener), Is.Zero);

        Socket[] clients = [.. Enumerable.Range(0, 3).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))];
        try
        {
            foreach (Socket client in clients)
            {
                client.Connect(listener.LocalEndPoint!);
            }

            WaitUntil(() => AcceptQueue.Waiting(listener) == 3);
            listener.Accept().Dispose();
            Assert.That(AcceptQueue.Waiting(listener), Is.EqualTo(2));
        }
        finally
        {
            Array.ForEach(clients, client => client.Dispose());
        }
    }

    private static int Receive(Socket socket, byte[] buffer, out SocketError error) =>
        SocketCalls.Receive(socket, (int)socket.Handle, buffer, out error);

    /// <summary>A connected pair on loopback; the server's side non-blocking, as a loop's are.</summary>
    private static (Socket Server, Socket Client) Pair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        Socket server = listener.Accept();
        server.Blocking = false;
        return (server, client);
    }

    /// <summary>Loopback delivers at once, but not within the call that sent: waits for it, up to 5 s.</summary>
    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)), "not within 5 s");
            Thread.Yield();
        }
    }
}

using System.Net.Sockets;
using PluggableEcho.Host.Client;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>client</c>: from a pipe as the real executable, by hand through its conversation loop.</summary>
public sealed class ClientCommandTests
{
    [Test]
    public void From_a_pipe_it_sends_standard_input_and_prints_every_reply_until_the_server_closes()
    {
        using var server = new RunningServer("pipeline: [uppercase]\n");
        using var client = new HostProcess("client", server.EndPoint.ToString());

        client.Input("hello\nworld\nno ending");

        Assert.That(client.WaitForExit(), Is.Zero, client.StandardError);
        Assert.That(client.OutputSoFar, Is.EqualTo(new[] { "HELLO", "WORLD", "NO ENDING" }));
    }

    [Test]
    public void When_nothing_listens_it_says_so_and_exits_1()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        using var client = new HostProcess("client", $"127.0.0.1:{port}");
        client.Input("hello\n");

        Assert.That(client.WaitForExit(), Is.EqualTo(1));
        Assert.That(client.StandardError, Does.StartWith($"error: 127.0.0.1:{port}: Connection refused"));
    }

    [Test]
    public void By_hand_it_prompts_sends_each_line_and_prints_its_reply()
    {
        using var server = new RunningServer("pipeline: [reverse]\n");
        using var socket = Connect(server);
        var typed = new StringReader("hello\nworld\n");
        var screen = new StringWriter();

        EchoClient.Converse(socket, typed, screen);

        Assert.That(screen.ToString(), Is.EqualTo("msg>>: olleh\nmsg>>: dlrow\nmsg>>: \n"));
    }

    [Test]
    public void By_hand_a_server_that_closes_ends_the_conversation()
    {
        using var server = new RunningServer("on_error: close\npipeline: [throws-on-boom]\n");
        using var socket = Connect(server);
        var typed = new StringReader("fine\nboom\nnever sent\n");
        var screen = new StringWriter();

        EchoClient.Converse(socket, typed, screen);

        Assert.That(screen.ToString(), Is.EqualTo("msg>>: fine\nmsg>>: \n(the server closed the connection)\n"));
    }

    private static Socket Connect(RunningServer server)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        socket.Connect(server.EndPoint);
        return socket;
    }
}

using System.Net.Sockets;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Stopping with clients connected: what was sent is answered, then everything closes.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class ShutdownTests(string poller)
{
    [Test]
    public async Task A_stopping_server_lets_a_client_take_every_reply_still_queued_then_closes()
    {
        using var server = new RunningServer("pipeline: [rot13]\nlimits: { shutdown_timeout: 30s }\n", poller);
        using TestClient client = server.Connect();
        byte[] line = Encoding.ASCII.GetBytes(new string('a', 1023) + "\n");
        long sent = client.SendUntilRefused(line, maxBytes: 64L << 20, patience: TimeSpan.FromMilliseconds(500));
        long wholeLines = sent / line.Length;

        Task stopping = Task.Run(server.Stop);
        client.ReadAndCheck(wholeLines * line.Length, offset => offset % line.Length == line.Length - 1 ? (byte)'\n' : (byte)'n');

        Assert.That(client.ReadToEnd(), Is.Empty, "then the end: the unfinished last line is not a message");
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
    }

    [Test]
    public async Task A_client_that_never_reads_holds_the_stop_up_only_for_shutdown_timeout()
    {
        using var server = new RunningServer("limits: { shutdown_timeout: 200ms }\n", poller);
        using TestClient idle = server.Connect();
        using TestClient stuck = server.Connect();
        stuck.SendUntilRefused(new byte[64 * 1024], maxBytes: 64L << 20, patience: TimeSpan.FromMilliseconds(500));
        idle.Send("hi\n");
        Assert.That(idle.ReadLine(), Is.EqualTo("HI\n"));

        Task stopping = Task.Run(server.Stop);

        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
        Assert.That(idle.ReadToEnd(), Is.Empty, "an idle client is closed at once");
        // The stuck one is closed too, its unsent replies dropped: a reset, or an end, not a timeout.
        try
        {
            stuck.ReadToEnd();
        }
        catch (SocketException e)
        {
            Assert.That(e.SocketErrorCode, Is.EqualTo(SocketError.ConnectionReset));
        }
    }

    [Test]
    public void A_stopping_server_accepts_no_one_new()
    {
        var server = new RunningServer("", poller);
        System.Net.IPEndPoint endPoint = server.EndPoint;
        server.Dispose();

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        Assert.That(() => socket.Connect(endPoint), Throws.InstanceOf<SocketException>());
    }
}

using System.Diagnostics;
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
    public void A_client_left_lingering_before_the_stop_is_closed_once_quiet_not_when_its_linger_ends()
    {
        using var server = new RunningServer("limits: { max_message_bytes: 4, shutdown_timeout: 30s }\n", poller);
        using TestClient client = server.Connect();
        client.Send("too long\n");
        Assert.That(Encoding.ASCII.GetString(client.ReadToEnd()), Does.StartWith("ERR message longer than 4 bytes"));

        // The client keeps its side open, so the server lingers for it (5 s) before closing on it.
        var stopping = Stopwatch.StartNew();
        server.Stop();

        Assert.That(stopping.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)),
            "a stopping server closes a quiet client whose replies are all acknowledged after 500 ms");
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
    public async Task A_stopping_server_refuses_new_clients_while_it_drains_the_others()
    {
        using var server = new RunningServer("limits: { shutdown_timeout: 30s }\n", poller);
        using TestClient slow = server.Connect();
        slow.SendUntilRefused(new byte[64 * 1024], maxBytes: 64L << 20, patience: TimeSpan.FromMilliseconds(500));

        Task stopping = Task.Run(server.Stop); // Held up by the slow client's replies.
        SocketError refused = SocketError.Success;
        while (refused == SocketError.Success && !stopping.IsCompleted)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(server.EndPoint);
            }
            catch (SocketException e)
            {
                refused = e.SocketErrorCode;
            }
        }

        // Refused outright, or reset by a listener of the group closing with it in its backlog: not served.
        Assert.That(refused, Is.EqualTo(SocketError.ConnectionRefused).Or.EqualTo(SocketError.ConnectionReset), "turned away while the slow client still drains");
        slow.Reset();
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
    }

    [Test]
    public async Task A_client_still_talking_after_its_replies_ended_is_not_closed_on_until_it_falls_quiet()
    {
        using var server = new RunningServer("limits: { shutdown_timeout: 30s }\n", poller);
        using TestClient client = server.Connect();
        client.Send("first\n");
        Assert.That(client.ReadLine(), Is.EqualTo("FIRST\n"));

        // A slow client, as one behind a proxy can be: it goes on sending for a while before it
        // reads its replies and their end. Closed on meanwhile, its next line would come back as
        // a reset, and the reset would discard the replies it has not read.
        Task stopping = Task.Run(server.Stop);
        var talking = Stopwatch.StartNew();
        int sent = 0;
        while (talking.Elapsed < TimeSpan.FromSeconds(1.5))
        {
            client.Send($"line {sent++}\n");
            Thread.Sleep(50); // The client's pace, well inside the server's 500 ms of quiet.
        }

        int received = 0;
        while (client.ReadLineOrEnd() is { } line)
        {
            Assert.That(line, Is.EqualTo($"LINE {received++}\n"));
        }

        Assert.That(received, Is.LessThan(sent), "the stop ended the replies while the client talked");
        client.EndSending();
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
    }

    [Test]
    public async Task A_client_that_keeps_talking_through_a_stop_gets_every_reply_it_was_sent_and_a_clean_end()
    {
        using var server = new RunningServer("limits: { shutdown_timeout: 30s }\n", poller);
        using TestClient client = server.Connect();
        using var stopTalking = new CancellationTokenSource();
        int sent = 0;
        Task talking = Task.Run(() =>
        {
            try
            {
                while (!stopTalking.IsCancellationRequested)
                {
                    client.Send($"line {sent}\n");
                    sent++;
                }
            }
            catch (SocketException)
            {
                // The server shut its side and then closed, after this client's own close below.
            }
        });

        Assert.That(client.ReadLine(), Is.EqualTo("LINE 0\n"));
        Task stopping = Task.Run(server.Stop);

        // Every reply the server sent arrives, in order, then a clean end of stream, not a reset.
        int received = 1;
        while (true)
        {
            string? line = client.ReadLineOrEnd();
            if (line is null)
            {
                break;
            }

            Assert.That(line, Is.EqualTo($"LINE {received}\n"));
            received++;
        }

        await stopTalking.CancelAsync();
        client.EndSending();
        await talking;
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
        Assert.That(received, Is.GreaterThan(1).And.LessThanOrEqualTo(sent));
    }
}

using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Observability;

/// <summary>Each instrument moves as clients make it move, over real sockets.</summary>
public sealed class MetricsTests
{
    private const string Config = """
        loops: 1
        pipeline: [throws-on-boom, uppercase]
        limits: { max_connections: 2, max_message_bytes: 16, output_buffer_bytes: 4096 }

        """;

    [Test]
    public void Connections_are_counted_as_they_are_accepted_rejected_and_closed_with_the_cause_of_their_end()
    {
        using var server = new RunningServer(Config);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient polite = server.Connect();
        using TestClient rude = server.Connect();
        polite.Send("hi\n");
        Assert.That(polite.ReadLine(), Is.EqualTo("HI\n"));
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.active", v => v == 2), Is.EqualTo(2));

        using (TestClient third = server.Connect())
        {
            Assert.That(Encoding.ASCII.GetString(third.ReadToEnd()), Is.EqualTo("ERR max connections reached\n"));
        }

        rude.Send("far too long for the limit\n");
        Assert.That(Encoding.ASCII.GetString(rude.ReadToEnd()), Does.StartWith("ERR message longer"));
        rude.Dispose();
        polite.EndSending();
        Assert.That(polite.ReadToEnd(), Is.Empty);

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.active", v => v == 0), Is.Zero);
        Assert.That(metrics.Read("pluggable_echo.connection.accepted"), Is.EqualTo(3));
        Assert.That(metrics.Read("pluggable_echo.connection.rejected", "reason=max_connections"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.closed", "reason=oversize"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.closed", "reason=client"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.message.oversize"), Is.EqualTo(1));
    }

    [Test]
    public void Messages_bytes_and_step_failures_are_counted()
    {
        using var server = new RunningServer(Config);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient client = server.Connect();

        client.Send("one\ntwo\n");
        Assert.That(client.ReadLine() + client.ReadLine(), Is.EqualTo("ONE\nTWO\n"));
        client.Send("boom\n");
        Assert.That(client.ReadLine(), Does.StartWith("ERR throws-on-boom"));

        Assert.That(metrics.Read("pluggable_echo.message.received"), Is.EqualTo(3));
        Assert.That(metrics.Read("pluggable_echo.message.replied"), Is.EqualTo(3), "an ERR reply is a reply");
        Assert.That(metrics.Read("pluggable_echo.step.failures", "policy=reply", "step=throws-on-boom"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.step.failures", "policy=reply", "step=uppercase"), Is.Zero);
        Assert.That(metrics.Read("pluggable_echo.network.io", "network.io.direction=receive"), Is.EqualTo("one\ntwo\nboom\n".Length));
        // Counted once the send returns, which may be just after the client has read the reply.
        Assert.That(metrics.ReadWhen("pluggable_echo.network.io", v => v > 8, "network.io.direction=transmit"), Is.GreaterThan("ONE\nTWO\n".Length));
        Assert.That(metrics.Read("pluggable_echo.loop.busy.time"), Is.GreaterThan(0));
    }

    [Test]
    public void A_client_that_never_reads_is_counted_as_paused_until_it_takes_its_replies()
    {
        using var server = new RunningServer(Config);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient hoarder = server.Connect();

        long sent = Hoard(hoarder, metrics);
        Assert.That(metrics.Read("pluggable_echo.read.pauses"), Is.GreaterThanOrEqualTo(1));

        TakeReplies(hoarder, sent);
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.read_paused", v => v == 0), Is.Zero);
    }

    [Test]
    public void A_paused_client_whose_replies_go_out_as_the_server_stops_is_no_longer_counted_as_paused()
    {
        using var server = new RunningServer(Config);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient hoarder = server.Connect();
        long sent = Hoard(hoarder, metrics);

        Task stopping = Task.Run(server.Stop); // Its drain ends the replies once the client has them all.
        TakeReplies(hoarder, sent);

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.read_paused", v => v == 0), Is.Zero);
        hoarder.Dispose();
        Assert.That(stopping.Wait(TestClient.Timeout), Is.True);
    }

    /// <summary>Sends lines without reading until the server stops reading it.</summary>
    /// <returns>How many bytes were sent.</returns>
    private static long Hoard(TestClient hoarder, MetricsReader metrics)
    {
        long sent = hoarder.SendUntilRefused("hoard\n"u8.ToArray(), maxBytes: 64L << 20, patience: TimeSpan.FromMilliseconds(500));
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.read_paused", v => v == 1), Is.EqualTo(1), "reading paused");
        return sent;
    }

    private static void TakeReplies(TestClient hoarder, long sent) => hoarder.ReadAndCheck(sent / 6 * 6, offset => "HOARD\n"u8[(int)(offset % 6)]);
}

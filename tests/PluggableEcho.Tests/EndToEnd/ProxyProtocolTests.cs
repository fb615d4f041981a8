using System.Net;
using System.Net.Sockets;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>A listener behind a balancer that sends the PROXY header, driven by real clients
/// that send it themselves.</summary>
public sealed class ProxyProtocolTests
{
    private const string WhoAmI = """
        - script: |
            return connection.remoteAddress + ' ' + connection.remotePort + ' ' + message;
        """;

    private static readonly IPEndPoint Balancer = IPEndPoint.Parse("192.0.2.1:7000");

    [TestCase("v1", "203.0.113.7:4242")]
    [TestCase("v2", "203.0.113.7:4242")]
    [TestCase("any", "[2001:db8::7]:443")]
    public void The_client_a_header_names_is_the_one_steps_see(string version, string client)
    {
        using var server = new RunningServer($"proxy_protocol: {version}\npipeline:\n{WhoAmI}");
        IPEndPoint named = IPEndPoint.Parse(client);
        using TestClient connection = server.Connect();
        byte[] header = version == "v1" ? ProxyHeaders.V1(named, Balancer) : ProxyHeaders.V2(named, Balancer, tlvBytes: 40);

        connection.Send([.. header, .. "hello\n"u8]);

        Assert.That(connection.ReadLine(), Is.EqualTo($"{named.Address} {named.Port} hello\n"));
    }

    [Test]
    public void A_header_cut_into_single_bytes_is_read_whole_before_the_first_message()
    {
        using var server = new RunningServer($"proxy_protocol: v2\npipeline:\n{WhoAmI}");
        IPEndPoint named = IPEndPoint.Parse("203.0.113.9:1234");
        using TestClient connection = server.Connect();
        foreach (byte b in (byte[])[.. ProxyHeaders.V2(named, Balancer, tlvBytes: 7), .. "one\ntw"u8])
        {
            connection.Send([b]);
        }

        connection.Send("o\n");

        Assert.That(connection.ReadLine(), Is.EqualTo("203.0.113.9 1234 one\n"));
        Assert.That(connection.ReadLine(), Is.EqualTo("203.0.113.9 1234 two\n"));
    }

    [Test]
    public void A_LOCAL_header_from_a_health_check_is_served_as_the_connection_itself()
    {
        using var server = new RunningServer($"proxy_protocol: v2\npipeline:\n{WhoAmI}");
        using TestClient connection = server.Connect();

        connection.Send([.. ProxyHeaders.V2Local(), .. "ping\n"u8]);

        Assert.That(connection.ReadLine(), Is.EqualTo($"127.0.0.1 {connection.LocalEndPoint.Port} ping\n"));
    }

    [Test]
    public void No_header_a_wrong_one_or_none_in_time_closes_without_an_answer_and_counts()
    {
        using var server = new RunningServer("""
            proxy_protocol: v1
            limits: { proxy_header_timeout: 200ms }
            """);
        using var metrics = new MetricsReader(server.Meter);

        using (TestClient direct = server.Connect())
        {
            direct.Send("hello\n");
            Assert.That(ReadUntilClosed(direct), Is.Empty, "a client that skips the balancer");
        }

        using (TestClient wrongVersion = server.Connect())
        {
            wrongVersion.Send([.. ProxyHeaders.V2(IPEndPoint.Parse("203.0.113.7:1"), Balancer), .. "hello\n"u8]);
            Assert.That(ReadUntilClosed(wrongVersion), Is.Empty, "v2 to a v1 listener");
        }

        using (TestClient silent = server.Connect())
        {
            silent.Send("PROXY TCP4 203.0.113.7"); // And nothing more.
            Assert.That(ReadUntilClosed(silent), Is.Empty, "half a header, then silence");
        }

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 3, "reason=proxy_header"), Is.EqualTo(3));
        Assert.That(metrics.Read("pluggable_echo.message.received"), Is.Zero, "nothing reached the pipeline");

        // A connection that leaves before sending a byte (a balancer's plain TCP check) is no failure.
        using (TestClient checker = server.Connect())
        {
            checker.EndSending();
            Assert.That(ReadUntilClosed(checker), Is.Empty);
        }

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=client"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.closed", "reason=proxy_header"), Is.EqualTo(3));
    }

    [Test]
    public void A_slow_header_is_refused_as_a_header_not_as_idle()
    {
        using var server = new RunningServer("""
            proxy_protocol: v1
            limits: { idle_timeout: 300ms, proxy_header_timeout: 900ms }
            """);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient slow = server.Connect();

        slow.Send("PROXY TCP4");
        Assert.That(ReadUntilClosed(slow), Is.Empty);

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=proxy_header"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.closed", "reason=idle"), Is.Zero, "idle_timeout waits for the header");
    }

    [Test]
    public void Listeners_take_the_header_each_as_configured()
    {
        using var server = new RunningServer($"""
            pipeline:
            {WhoAmI}
            listeners:
              - listen: 127.0.0.1:0
                proxy_protocol: v2
              - listen: 127.0.0.1:0
            """);
        IPEndPoint[] addresses = [.. server.Server.LocalEndPoints];
        using var proxied = new TestClient(addresses[0]);
        using var direct = new TestClient(addresses[1]);

        proxied.Send([.. ProxyHeaders.V2(IPEndPoint.Parse("203.0.113.7:99"), Balancer), .. "a\n"u8]);
        direct.Send("b\n");

        Assert.That(proxied.ReadLine(), Is.EqualTo("203.0.113.7 99 a\n"));
        Assert.That(direct.ReadLine(), Is.EqualTo($"127.0.0.1 {direct.LocalEndPoint.Port} b\n"));
    }

    /// <summary>What the server sent before closing; a reset (it closed on bytes it had not
    /// read) is as good a close here, since nothing is owed.</summary>
    private static string ReadUntilClosed(TestClient client)
    {
        try
        {
            return Encoding.ASCII.GetString(client.ReadToEnd());
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return "";
        }
    }
}

using System.Net;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary><c>limits.max_connections_per_ip</c> over real sockets, with each poller: every
/// client here connects from 127.0.0.1, so behind a PROXY header the address it names is the
/// only one that tells them apart.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class PerIpLimitTests(string poller)
{
    private const string Notice = "ERR max connections per ip reached\n";

    private static readonly IPEndPoint Balancer = IPEndPoint.Parse("192.0.2.1:7000");

    [Test]
    public void A_third_client_from_one_address_is_told_and_closed_while_the_first_two_are_served_and_a_freed_slot_serves_the_next()
    {
        // max_connections has room for just one more: a refusal that kept its slot would turn
        // the next client away as over max_connections instead.
        using var server = new RunningServer("limits: { max_connections: 3, max_connections_per_ip: 2 }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient first = Served(server.Connect(), "one");
        using TestClient second = Served(server.Connect(), "two");

        using (TestClient third = server.Connect())
        {
            Assert.That(Encoding.ASCII.GetString(third.ReadToEnd()), Is.EqualTo(Notice));
        }

        using (TestClient fourth = server.Connect())
        {
            Assert.That(Encoding.ASCII.GetString(fourth.ReadToEnd()), Is.EqualTo(Notice), "the third gave its max_connections slot back");
        }

        Served(first, "still one");
        Served(second, "still two");
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.rejected", v => v == 2, "reason=max_connections_per_ip"), Is.EqualTo(2));
        Assert.That(metrics.Read("pluggable_echo.connection.rejected", "reason=max_connections"), Is.Zero);

        // The server gives the slots back before it closes: once the end is seen, they are free.
        Ended(first);
        using TestClient fifth = Served(server.Connect(), "five");

        Ended(second);
        Ended(fifth);
        Assert.That(AddressesHeld(server), Is.Zero, "an address without connections leaves the count");
    }

    [TestCase("v1")]
    [TestCase("v2")]
    public void Behind_a_PROXY_header_the_address_that_counts_is_the_client_it_names(string version)
    {
        using var server = new RunningServer($"proxy_protocol: {version}\nlimits: {{ max_connections_per_ip: 1 }}\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient first = Served(Proxied(server, version, "203.0.113.7:1000"), "one");
        using TestClient other = Served(Proxied(server, version, "203.0.113.8:1000"), "other");

        using (TestClient again = Proxied(server, version, "203.0.113.7:2000"))
        {
            again.Send("never answered\n");
            Assert.That(Encoding.ASCII.GetString(again.ReadToEnd()), Is.EqualTo(Notice));
        }

        Served(first, "still one");
        Served(other, "still other");
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=max_connections_per_ip"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.rejected", "reason=max_connections_per_ip"), Is.Zero,
            "accepted, and turned away once its header was read: closed, not rejected");
        Assert.That(metrics.Read("pluggable_echo.message.received"), Is.EqualTo(4), "nothing of the one turned away reached the pipeline");

        Ended(first);
        using TestClient next = Served(Proxied(server, version, "203.0.113.7:3000"), "next");

        Ended(other);
        Ended(next);
        Assert.That(AddressesHeld(server), Is.Zero);
    }

    [Test]
    public void Health_checks_whose_header_names_no_client_take_no_slot()
    {
        using var server = new RunningServer("proxy_protocol: any\nlimits: { max_connections_per_ip: 1 }\n", poller);
        using TestClient local = server.Connect();
        using TestClient unknown = server.Connect();
        using TestClient client = Served(Proxied(server, "v2", "203.0.113.7:1000"), "client");

        local.Send([.. ProxyHeaders.V2Local(), .. "ping\n"u8]);
        unknown.Send("PROXY UNKNOWN\r\nping\n");

        Assert.That((local.ReadLine(), unknown.ReadLine()), Is.EqualTo(("PING\n", "PING\n")), "both from 127.0.0.1, both served");
        Assert.That(AddressesHeld(server), Is.EqualTo(1), "the proxied client's address only");
        Ended(local);
        Ended(unknown);
        Ended(client);
    }

    /// <summary>A client whose PROXY header names <paramref name="client"/>.</summary>
    private static TestClient Proxied(RunningServer server, string version, string client)
    {
        TestClient connection = server.Connect();
        IPEndPoint named = IPEndPoint.Parse(client);
        connection.Send(version == "v1" ? ProxyHeaders.V1(named, Balancer) : ProxyHeaders.V2(named, Balancer));
        return connection;
    }

    /// <summary>Checks that the client is answered, and hands it back.</summary>
    private static TestClient Served(TestClient client, string text)
    {
        client.Send(text + "\n");
        Assert.That(client.ReadLine(), Is.EqualTo(text.ToUpperInvariant() + "\n"));
        return client;
    }

    /// <summary>Ends the client's input and waits for the server to close: its slots are free then.</summary>
    private static void Ended(TestClient client)
    {
        client.EndSending();
        Assert.That(client.ReadToEnd(), Is.Empty);
    }

    /// <summary>The addresses holding a max_connections_per_ip slot of the first listener now.</summary>
    private static int AddressesHeld(RunningServer server) => server.Server.Loops[0].Listeners[0].AddressSlots.Addresses;
}

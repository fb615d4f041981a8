using System.Net;
using System.Net.Sockets;
using System.Text;
using PluggableEcho.Host.Errors;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>The server in this process, real clients over loopback, with each poller.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class EchoServerTests(string poller)
{
    [Test]
    public void Hello_comes_back_upper_cased_by_default()
    {
        using var server = Start("");
        using TestClient client = server.Connect();

        client.Send("hello\n");

        Assert.That(client.ReadLine(), Is.EqualTo("HELLO\n"));
    }

    [Test]
    public void A_loop_that_spins_after_activity_answers_as_one_that_sleeps()
    {
        using var server = Start("spin: 100us\nloops: 1\n");
        using TestClient client = server.Connect();

        for (int i = 0; i < 100; i++)
        {
            client.Send($"spin {i}\n");
            Assert.That(client.ReadLine(), Is.EqualTo($"SPIN {i}\n"));
        }
    }

    [Test]
    public void Reverse_then_rot13_gives_the_right_bytes()
    {
        using var server = Start("pipeline: [reverse, rot13]\n");
        using TestClient client = server.Connect();

        client.Send("Hello, wörld\r\n");

        Assert.That(client.ReadLine(), Is.EqualTo("qyeöj ,byyrU\r\n"));
    }

    [Test]
    public void Lines_cut_anywhere_or_sent_together_each_get_their_reply()
    {
        using var server = Start("pipeline: [reverse]\n");
        using TestClient client = server.Connect();

        foreach (byte b in "abc\ndéf\r\n"u8)
        {
            client.Send([b]);
        }

        client.Send("one\ntwo\nthree\n\n");

        string[] replies = [.. Enumerable.Range(0, 6).Select(_ => client.ReadLine())];
        Assert.That(replies, Is.EqualTo(new[] { "cba\n", "féd\r\n", "eno\n", "owt\n", "eerht\n", "\n" }));
    }

    [Test]
    public void The_last_unterminated_line_is_answered_when_the_client_stops_sending()
    {
        using var server = Start("");
        using TestClient client = server.Connect();

        client.Send("first\nlast");
        client.EndSending();

        Assert.That(Encoding.UTF8.GetString(client.ReadToEnd()), Is.EqualTo("FIRST\nLAST"));
    }

    [Test]
    public async Task Two_hundred_concurrent_clients_each_get_their_own_data_back()
    {
        using var server = Start("");

        string[] replies = await ConcurrentClients.ExchangeAsync(server.EndPoint, 200, 3, TestClient.Timeout);

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, 200).Select(i => $"CLIENT {i} ROUND 0\nCLIENT {i} ROUND 1\nCLIENT {i} ROUND 2\n")));
    }

    [Test]
    public async Task A_one_mebibyte_message_in_raw_mode_comes_back_complete()
    {
        using var server = Start("framing: raw\n");
        using TestClient client = server.Connect();
        // ASCII, so that where the network cuts the stream cannot change the expected reply.
        var random = new Random(42);
        byte[] message = [.. Enumerable.Range(0, 1 << 20).Select(_ => (byte)random.Next(0x20, 0x7F))];

        Task sending = Task.Run(() => client.Send(message));
        byte[] reply = client.ReadExactly(message.Length);
        await sending;

        Assert.That(reply, Is.EqualTo(Support.Transforms.Run("uppercase", message)));
    }

    [Test]
    public void A_client_that_sends_without_reading_gets_every_reply_in_order_once_it_reads()
    {
        using var server = Start("pipeline: [rot13]\n");
        using TestClient client = server.Connect();
        byte[] line = Encoding.ASCII.GetBytes(new string('a', 1023) + "\n");

        // Until the kernel refuses more: the server then holds replies it cannot send.
        long sent = client.SendUntilRefused(line, maxBytes: 64L << 20);

        string expected = new string('n', 1023) + "\n";
        for (long i = 0; i < sent / line.Length; i++)
        {
            Assert.That(client.ReadLine(), Is.EqualTo(expected));
        }

        client.Send(line.AsSpan((int)(sent % line.Length))); // The line cut short by the refusal.
        Assert.That(client.ReadLine(), Is.EqualTo(expected));
        client.Send("abc\n");
        Assert.That(client.ReadLine(), Is.EqualTo("nop\n"));
    }

    [Test]
    public async Task A_line_longer_than_the_limit_is_refused_after_the_replies_before_it()
    {
        using var server = Start("");
        using TestClient client = server.Connect();
        byte[] endless = new byte[4 * new Host.Networking.ConnectionLimits().MaxMessageBytes];
        Array.Fill(endless, (byte)'a');

        client.Send("short\n");
        Task sending = Task.Run(() => client.Send(endless)); // The server reads on, so this ends.
        string replies = Encoding.ASCII.GetString(client.ReadToEnd());
        await sending;

        Assert.That(replies, Is.EqualTo($"SHORT\nERR message longer than {1 << 20} bytes\n"));
    }

    [Test]
    public void A_failing_step_tells_its_client_and_leaves_the_rest_untouched()
    {
        using var server = Start("pipeline: [throws-on-boom, uppercase]\n");
        using TestClient failing = server.Connect();
        using TestClient bystander = server.Connect();

        failing.Send("boom\n");
        bystander.Send("still here\n");

        Assert.That(failing.ReadLine(), Is.EqualTo("ERR throws-on-boom: the message went boom\n"));
        Assert.That(bystander.ReadLine(), Is.EqualTo("STILL HERE\n"));
        failing.Send("and again\n");
        Assert.That(failing.ReadLine(), Is.EqualTo("AND AGAIN\n"));
    }

    [Test]
    public void A_client_that_resets_in_the_middle_of_a_reply_disturbs_nobody()
    {
        using var server = Start("framing: raw\n");
        using TestClient bystander = server.Connect();
        using (TestClient rude = server.Connect())
        {
            // Once the kernel refuses more, the server holds replies it could not send yet.
            rude.SendUntilRefused(new byte[64 * 1024], maxBytes: 64L << 20);
            rude.Reset();
        }

        bystander.Send("ok");

        Assert.That(bystander.ReadExactly(2), Is.EqualTo("OK"u8.ToArray()));
    }

    [Test]
    public void A_second_server_cannot_take_a_port_that_is_in_use()
    {
        // Two loops each: with epoll, listeners that share the port with SO_REUSEPORT, which
        // must not let a second server join the first one's group.
        using var server = Start("loops: 2\n");
        using var folder = new TempFolder();
        using var logging = TestLogging.Create();
        string config = folder.Write("echo.yaml", $"loops: 2\npoller: {poller}\n");

        var error = Assert.Throws<StartupException>(() => Host.EchoHost.Start(config, server.EndPoint, logging, AllPlugins.Folder))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"cannot listen on {server.EndPoint} (--listen): Address already in use"));
    }

    [Test]
    public void The_server_also_listens_on_ipv6_loopback()
    {
        using var folder = new TempFolder();
        using var logging = TestLogging.Create();
        string config = folder.Write("echo.yaml", $"poller: {poller}\n");
        using var host = Host.EchoHost.Start(config, IPEndPoint.Parse("[::1]:0"), logging, AllPlugins.Folder);
        using var client = new TestClient(host.LocalEndPoint);

        client.Send("v6\n");

        Assert.That(client.ReadLine(), Is.EqualTo("V6\n"));
    }

    private RunningServer Start(string yaml) => new(yaml, poller);
}

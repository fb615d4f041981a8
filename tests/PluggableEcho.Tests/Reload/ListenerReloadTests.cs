using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>Listeners a reload adds, removes or moves, over real sockets, on two loops: with
/// epoll each loop has a socket per listener; with select the first loop accepts for both.</summary>
public sealed class ListenerReloadTests
{
    [TestCase("epoll")]
    [TestCase("select")]
    public void An_added_listener_accepts_at_once_with_its_own_pipeline(string poller)
    {
        using var server = new RunningServer("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\n" + Loops(poller));

        ReloadOutcome outcome = server.Reload(Loops(poller) +
            "listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\n  - listen: 127.0.0.1:0\n    pipeline: [reverse]\n");

        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(outcome.Changes, Has.Some.Matches(@"listener 1 added on 127\.0\.0\.1:\d+"));
        IReadOnlyList<IPEndPoint> bound = server.Server.LocalEndPoints;
        Assert.That(bound, Has.Count.EqualTo(2));
        Assert.That(Ask(bound[0], "hello"), Is.EqualTo("HELLO\n"), "the kept one on its port");
        Assert.That(Ask(bound[1], "hello"), Is.EqualTo("olleh\n"), "the added one");
    }

    [TestCase("epoll")]
    [TestCase("select")]
    public void A_removed_listener_stops_accepting_and_its_clients_get_their_replies_then_the_end(string poller)
    {
        using var server = new RunningServer(
            "listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\n  - listen: 127.0.0.1:0\n    pipeline: [reverse]\n" + Loops(poller));
        IPEndPoint removed = server.Server.LocalEndPoints[1];
        using var client = new TestClient(removed);
        client.Send("before\n");
        Assert.That(client.ReadLine(), Is.EqualTo("erofeb\n"));

        ReloadOutcome outcome = server.Reload(Loops(poller) + "listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\n");

        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(outcome.Changes, Has.Some.Matches(@"listener 1 on 127\.0\.0\.1:\d+ removed"));
        Assert.That(client.ReadLineOrEnd(), Is.Null, "its client is ended, as at a stop, once it has its replies");
        Assert.That(IsRefused(removed), Is.True, "nothing listens there any more");
        Assert.That(Ask(server.Server.LocalEndPoints[0], "kept"), Is.EqualTo("KEPT\n"));
    }

    [TestCase("epoll")]
    [TestCase("select")]
    public void A_moved_listener_is_bound_at_its_new_address_before_the_old_one_closes_and_its_clients_stay(string poller)
    {
        using var server = new RunningServer("listeners:\n  - listen: 127.0.0.1:0\n    pipeline: [uppercase]\n" + Loops(poller));
        IPEndPoint old = server.EndPoint;
        using var client = new TestClient(old);
        client.Send("before\n");
        Assert.That(client.ReadLine(), Is.EqualTo("BEFORE\n"));
        int port = LoopbackPorts.Free();

        ReloadOutcome outcome = server.Reload(Loops(poller) + $"listeners:\n  - listen: 127.0.0.1:{port}\n    pipeline: [reverse]\nreload: {{ existing: switch }}\n");

        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(outcome.Changes, Has.Some.Contains($"listener 0 moved from {old} to 127.0.0.1:{port}"));
        Assert.That(Ask(new IPEndPoint(IPAddress.Loopback, port), "hello"), Is.EqualTo("olleh\n"));
        Assert.That(IsRefused(old), Is.True, "the old address is let go");
        client.Send("after\n");
        Assert.That(client.ReadLine(), Is.EqualTo("retfa\n"), "its client stays, and moves to the new pipeline under switch");
    }

    [TestCase("epoll")]
    [TestCase("select")]
    public void A_listener_keeps_its_clients_across_a_reload_that_changes_its_framing(string poller)
    {
        using var server = new RunningServer("listeners:\n  - listen: 127.0.0.1:0\n    framing: line\n" + Loops(poller));
        using var client = server.Connect();
        client.Send("a\n");
        Assert.That(client.ReadLine(), Is.EqualTo("A\n"));

        Assert.That(server.Reload(Loops(poller) + "listeners:\n  - listen: 127.0.0.1:0\n    framing: raw\nreload: { existing: switch }\n").Changes, Has.Some.Contains("framing line -> raw"));

        client.Send("b\n"); // Raw: a read is a message, its newline part of it.
        Assert.That(client.ReadLine(), Is.EqualTo("B\n"));
        using TestClient fresh = server.Connect();
        fresh.Send("no newline");
        Assert.That(System.Text.Encoding.UTF8.GetString(fresh.ReadExactly(10)), Is.EqualTo("NO NEWLINE"), "raw framing answers without a line end");
    }

    private static string Loops(string poller) => $"loops: 2\npoller: {poller}\n";

    private static bool IsRefused(IPEndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(endPoint);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
    }

    private static string Ask(IPEndPoint endPoint, string line)
    {
        using var client = new TestClient(endPoint);
        client.Send(line + "\n");
        return client.ReadLine();
    }
}

using System.Net.Sockets;
using System.Text;
using PluggableEcho.Host.Networking;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Many clients, greedy clients, and what a message costs the server, with each poller.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class LoadTests(string poller)
{
    [Test]
    public async Task Two_thousand_concurrent_clients_each_get_their_own_replies()
    {
        const int clients = 2000;
        using var server = new RunningServer("", poller);

        string[] replies = await ConcurrentClients.ExchangeAsync(server.EndPoint, clients, 3, TimeSpan.FromSeconds(60));

        Assert.That(replies, Is.EqualTo(Enumerable.Range(0, clients).Select(i => $"CLIENT {i} ROUND 0\nCLIENT {i} ROUND 1\nCLIENT {i} ROUND 2\n")));
    }

    [Test]
    public async Task A_client_flooding_its_loop_does_not_starve_a_ping_pong_client_on_the_same_loop()
    {
        // A large output bound, so that only the bound on reads per wake-up keeps the flooder in check.
        using var server = new RunningServer("loops: 1\nlimits: { output_buffer_bytes: 67108864 }\n", poller);
        using TestClient flooder = server.Connect();
        using TestClient pinger = server.Connect();
        using var stop = new CancellationTokenSource();
        long flooded = 0;
        byte[] lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('f', 63) + "\n", 1024)));
        Task flooding = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                flooder.Send(lines);
                Interlocked.Add(ref flooded, lines.Length);
            }
        });
        Task draining = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                flooder.ReadExactly(lines.Length);
            }
        });

        long floodedBefore = Interlocked.Read(ref flooded);
        for (int i = 0; i < 200; i++)
        {
            pinger.Send($"ping {i}\n");
            Assert.That(pinger.ReadLine(), Is.EqualTo($"PING {i}\n"));
        }

        long floodedDuring = Interlocked.Read(ref flooded) - floodedBefore;
        await stop.CancelAsync();
        flooder.Reset(); // Ends the flood tasks' blocking calls.
        await Task.WhenAll(flooding, draining).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.That(floodedDuring, Is.GreaterThan(lines.Length), "the flood went on while the ping-pong client was answered");
    }

    [Test]
    public void Steady_state_costs_no_allocation_per_message()
    {
        using var server = new RunningServer("loops: 1\npipeline: [uppercase, reverse, rot13]\n", poller);
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 15_000 };
        client.Connect(server.EndPoint);
        byte[] message = Encoding.ASCII.GetBytes("hello, allocation-free world\n");
        byte[] reply = new byte[message.Length];
        RoundTrips(client, message, reply, 5_000); // Buffers grown, code jitted.

        // Counted on the loop's own thread, where every message is served: what other threads
        // of the process do (the JIT, the test runner) is not the server's per-message cost.
        const int messages = 20_000;
        EventLoop loop = server.Server.Loops[0];
        long allocated = Enumerable.Range(0, 3).Min(_ => LoopAllocationOver(loop, client, message, reply, messages));
        TestContext.Out.WriteLine($"{poller}: the server allocated {allocated} bytes over {messages} messages ({(double)allocated / messages:F3} per message)");

        // The slack is for the runtime's own doings (a timer, the tiered JIT): one object per
        // message would be 24 bytes or more.
        Assert.That(allocated, Is.LessThan(messages / 4), "well under one byte per message: nothing per message");
    }

    private static long LoopAllocationOver(EventLoop loop, Socket client, byte[] message, byte[] reply, int messages)
    {
        long before = AllocatedOnLoop(loop);
        RoundTrips(client, message, reply, messages);
        return AllocatedOnLoop(loop) - before;
    }

    /// <summary>What the loop's thread has allocated so far, read on that thread.</summary>
    private static long AllocatedOnLoop(EventLoop loop)
    {
        var allocated = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.That(loop.Post(() => allocated.SetResult(GC.GetAllocatedBytesForCurrentThread())), Is.True, "the loop runs");
        Assert.That(allocated.Task.Wait(TestClient.Timeout), Is.True, "the loop answered");
        return allocated.Task.Result;
    }

    private static void RoundTrips(Socket client, byte[] message, byte[] reply, int count)
    {
        for (int i = 0; i < count; i++)
        {
            client.Send(message);
            for (int got = 0; got < reply.Length;)
            {
                int received = client.Receive(reply.AsSpan(got));
                got += received > 0 ? received : throw new IOException("the server closed the connection");
            }
        }
    }
}

using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Framing;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>What is left of a server one of whose loops has failed, until it is stopped.</summary>
public sealed class LoopFailureTests
{
    [Test]
    public void A_failed_loop_closes_its_listening_socket_so_every_new_client_reaches_a_live_loop()
    {
        Assume.That(EpollPoller.IsSupported, "a socket per loop (SO_REUSEPORT) needs Linux");
        using ILoggerFactory logging = TestLogging.Create();
        using var server = new EchoServer(Options(loops: 2), logging);
        server.Start();

        // A bug outside any one connection fails the loop (a connection's own bug costs only it).
        Assert.That(server.Loops[1].Post(() => throw new InvalidOperationException("a bug in the loop")), Is.True);
        Assert.That(() => server.Loops[1].Completion.Wait(TestClient.Timeout), Throws.Exception, "the loop failed");

        // The kernel spreads new clients over the sockets still listening: had the failed loop's
        // stayed open, about half of these would wait on a backlog nobody accepts from.
        const int clients = 32;
        TestClient[] connected = [.. Enumerable.Range(0, clients).Select(_ => new TestClient(server.LocalEndPoint))];
        try
        {
            for (int i = 0; i < clients; i++)
            {
                connected[i].Send($"client {i}\n");
            }

            string[] replies = [.. connected.Select(client => client.ReadLine())];
            Assert.That(replies, Is.EqualTo(Enumerable.Range(0, clients).Select(i => $"client {i}\n")));
        }
        finally
        {
            Array.ForEach(connected, client => client.Dispose());
        }

        Assert.That(server.Loops[0].Completion.IsCompleted, Is.False, "the other loop still serves");
    }

    private static ServerOptions Options(int loops)
    {
        var listener = new ListenerOptions("listener 0", new IPEndPoint(IPAddress.Loopback, 0), LineFramer.Instance, () => new EchoPipeline(), new ConnectionLimits());
        return new ServerOptions([listener], loops, PollerKind.Epoll, TimeSpan.FromSeconds(5));
    }

    /// <summary>Replies with the message as it came.</summary>
    private sealed class EchoPipeline : StepLessPipeline
    {
        public override MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session)
        {
            reply.Write(message);
            return MessageOutcome.Reply;
        }
    }
}

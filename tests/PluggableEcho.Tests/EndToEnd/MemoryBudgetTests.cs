using System.Net.Sockets;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>
/// What hostile clients can make the server hold: per connection, no more than its limits
/// (max_message_bytes and output_buffer_bytes) by more than a tenth; over all of them, no more
/// than max_buffered_bytes once the largest holders have been ended.
/// </summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class MemoryBudgetTests(string poller)
{
    private const string HeldBytes = "pluggable_echo.buffer.held";

    [Test]
    public void A_client_that_never_reads_holds_no_more_than_its_limits()
    {
        const int limit = 64 * 1024;
        const int clients = 20;
        using var server = new RunningServer($"loops: 1\nlimits: {{ max_message_bytes: {limit}, output_buffer_bytes: {limit} }}\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        var hoarders = new List<TestClient>();
        try
        {
            byte[] lines = HoarderLines.Chunk;
            for (int i = 0; i < clients; i++)
            {
                TestClient hoarder = server.Connect();
                hoarders.Add(hoarder);
                hoarder.SendUntilRefused(lines, 256L << 20, patience: TimeSpan.FromMilliseconds(200));
            }

            Assert.That(metrics.ReadWhen("pluggable_echo.connection.read_paused", v => v == clients), Is.EqualTo(clients), "every one at its output limit");
            double perClient = metrics.Read(HeldBytes) / clients;
            TestContext.Out.WriteLine($"held per never-reading client: {perClient / 1024:0.0} KiB against {2 * limit / 1024} KiB of limits");
            Assert.That(perClient, Is.LessThanOrEqualTo(1.1 * 2 * limit));
            Assert.That(perClient, Is.GreaterThanOrEqualTo(limit), "its output is full: the count is real");
        }
        finally
        {
            hoarders.ForEach(hoarder => hoarder.Dispose());
        }

        Assert.That(metrics.ReadWhen(HeldBytes, v => v == 0), Is.Zero, "every buffer given back once they left");
    }

    [Test]
    public void A_message_that_never_ends_holds_no_more_than_max_message_bytes()
    {
        const int limit = 100_000; // Not a power of two: the buffer is not rounded up to one.
        const int clients = 10;
        using var server = new RunningServer($"loops: 1\nlimits: {{ max_message_bytes: {limit} }}\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        var senders = new List<TestClient>();
        try
        {
            for (int i = 0; i < clients; i++)
            {
                TestClient sender = server.Connect();
                senders.Add(sender);
                sender.Send(new string('b', limit - 1)); // All of a message but its last byte and end.
            }

            double held = metrics.ReadWhen(HeldBytes, v => v >= clients * (limit - 1.0));
            TestContext.Out.WriteLine($"held per unfinished message: {held / clients:0} bytes against max_message_bytes {limit}");
            Assert.That(held / clients, Is.InRange(limit - 1, 1.1 * limit));
            senders[0].Send("b\n");
            Assert.That(senders[0].ReadLine(), Has.Length.EqualTo(limit + 1), "and the message is whole when its end comes");
        }
        finally
        {
            senders.ForEach(sender => sender.Dispose());
        }
    }

    [Test]
    public void Hoarders_over_max_buffered_bytes_are_ended_largest_first_while_a_new_client_is_served()
    {
        const long budget = 2 << 20;
        using var server = new RunningServer(
            $"loops: 1\nlimits: {{ max_buffered_bytes: {budget}, output_buffer_bytes: 262144, output_stall_timeout: 0 }}\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        var hoarders = new List<TestClient>();
        try
        {
            // Sixteen clients that never read, each allowed 256 KiB of replies: twice the budget.
            byte[] lines = HoarderLines.Chunk;
            for (int i = 0; i < 16; i++)
            {
                TestClient hoarder = server.Connect();
                hoarders.Add(hoarder);
                SendUntilRefusedOrReset(hoarder, lines);
            }

            Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v >= 1, "reason=server_busy"), Is.GreaterThanOrEqualTo(1), "the largest were ended");
            Assert.That(metrics.ReadWhen(HeldBytes, v => v <= budget), Is.LessThanOrEqualTo(budget), "and the rest is within the budget");

            using TestClient newcomer = server.Connect();
            newcomer.Send("hello\n");
            Assert.That(newcomer.ReadLine(), Is.EqualTo("HELLO\n"));
            Assert.That(metrics.Read("pluggable_echo.connection.active"), Is.GreaterThan(1), "while the hoarders within budget stay");
        }
        finally
        {
            hoarders.ForEach(hoarder => hoarder.Dispose());
        }
    }

    [Test]
    public void A_client_holding_only_unfinished_input_is_told_the_server_is_busy()
    {
        // Three hold 200 KB each (a 256 KiB buffer), under the budget of 1 MiB together; the
        // fourth takes the loop over it as its message grows past 256 KiB.
        const int part = 200_000;
        using var server = new RunningServer("loops: 1\nlimits: { max_buffered_bytes: 1048576 }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient first = server.Connect();
        using TestClient second = server.Connect();
        using TestClient third = server.Connect();
        using TestClient fourth = server.Connect();
        first.Send(new string('c', part));
        second.Send(new string('c', part));
        third.Send(new string('c', part));
        fourth.Send(new string('c', 3 * part)); // The largest: the one ended.

        Assert.That(fourth.ReadLine(), Is.EqualTo("ERR server busy\n"));
        Assert.That(fourth.ReadToEnd(), Is.Empty, "then the end of its replies");
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=server_busy"), Is.EqualTo(1));
        first.Send("c\n");
        Assert.That(first.ReadLine(), Has.Length.EqualTo(part + 2), "the others go on once it is within budget");
    }

    /// <summary>A client waiting for memory asks the poller for nothing; when it resets, the
    /// server must still hear of it, at once, not when the loop next has memory to spare.</summary>
    [Test]
    public void A_client_that_resets_while_it_waits_for_memory_is_closed_at_once()
    {
        using var server = new RunningServer("loops: 1\nlimits: { max_buffered_bytes: 1048576 }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient first = server.Connect();
        using TestClient second = server.Connect();
        using TestClient third = server.Connect();
        first.Send(new string('d', 300_000)); // 512 KiB each: the budget, all of it.
        second.Send(new string('d', 300_000));
        metrics.ReadWhen("pluggable_echo.buffer.held", v => v >= 1 << 20);
        third.Send(new string('d', 100_000)); // Over it: the third waits, holding what it has.
        metrics.ReadWhen("pluggable_echo.buffer.held", v => v > 1 << 20);

        third.Reset();

        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=reset"), Is.EqualTo(1));
        Assert.That(metrics.Read("pluggable_echo.connection.closed", "reason=server_busy"), Is.Zero, "closed for its reset, before any shedding");
    }

    /// <summary>A hoarder ended by the server resets under the sender: that is a refusal too.</summary>
    private static void SendUntilRefusedOrReset(TestClient client, byte[] chunk)
    {
        try
        {
            client.SendUntilRefused(chunk, 256L << 20, patience: TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e) when (e is SocketException || e.InnerException is SocketException || e is AssertionException)
        {
            // Ended already.
        }
    }
}

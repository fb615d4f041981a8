using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Clients that hold a slot without finishing a message or without taking their replies.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class SlowClientTests(string poller)
{
    [Test]
    public async Task A_message_trickled_a_byte_at_a_time_ends_at_message_timeout_and_whole_ones_are_not_held_to_it()
    {
        using var server = new RunningServer("limits: { message_timeout: 600ms }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient trickler = server.Connect();
        using TestClient steady = server.Connect();
        trickler.Send("whole\n");
        Assert.That(trickler.ReadLine(), Is.EqualTo("WHOLE\n"));
        using var stop = new CancellationTokenSource();
        stop.Token.WaitHandle.WaitOne(800); // Longer than the timeout, between messages: no message is timed.

        // A message begun in the read that ends another, then a byte every 100 ms for up to 5 s:
        // activity all along, but never the end of the message.
        var clock = Stopwatch.StartNew();
        trickler.Send("again\nx");
        Assert.That(trickler.ReadLine(), Is.EqualTo("AGAIN\n"));
        Task trickling = Task.Run(() =>
        {
            try
            {
                while (!stop.IsCancellationRequested && clock.Elapsed < TimeSpan.FromSeconds(5))
                {
                    trickler.Send("x");
                    stop.Token.WaitHandle.WaitOne(100); // The pace of a slow client, not a wait for anything.
                }
            }
            catch (SocketException)
            {
                // Closed under it: what the test waits for.
            }
        });

        // Meanwhile whole messages, one at a time over longer than the timeout, are answered.
        for (int i = 0; i < 8; i++)
        {
            steady.Send($"line {i}\n");
            Assert.That(steady.ReadLine(), Is.EqualTo($"LINE {i}\n"));
            stop.Token.WaitHandle.WaitOne(100);
        }

        Assert.That(trickler.ReadLine(), Is.EqualTo("ERR message timeout: not whole within 0.6 s\n"));
        TimeSpan toldAfter = clock.Elapsed;
        await stop.CancelAsync();
        await trickling;
        Assert.That(trickler.ReadToEnd(), Is.Empty, "then the end of its replies");
        trickler.Dispose(); // As a client does at the end: the server closes at once rather than after lingering.

        Assert.That(toldAfter, Is.LessThan(TimeSpan.FromSeconds(5)), "trickled bytes did not extend the message's deadline");
        Assert.That(toldAfter, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(600)), "timed from the message's first byte, not before");
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=message_timeout"), Is.EqualTo(1));
        steady.Send("still here\n");
        Assert.That(steady.ReadLine(), Is.EqualTo("STILL HERE\n"));
    }

    [Test]
    public void A_client_that_never_takes_its_replies_is_closed_at_output_stall_timeout_and_another_is_served()
    {
        using var server = new RunningServer("limits: { output_buffer_bytes: 65536, output_stall_timeout: 1500ms }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient hoarder = server.Connect();
        byte[] line = Encoding.ASCII.GetBytes(new string('a', 1023) + "\n");

        // Sends until the server stops reading it (its output at the limit), and never reads.
        long sent = hoarder.SendUntilRefused(line, 64L << 20, patience: TimeSpan.FromMilliseconds(300));

        Assert.That(sent, Is.LessThan(64L << 20));
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=output_stall"), Is.EqualTo(1));
        using TestClient next = server.Connect();
        next.Send("hello\n");
        Assert.That(next.ReadLine(), Is.EqualTo("HELLO\n"));
    }

    /// <summary>Time the server spends not reading a client (its output at the limit) does not
    /// count against its message: the rest of the message waits on the server, not the client.</summary>
    [Test]
    public async Task A_client_that_reads_slowly_is_not_timed_out_for_the_message_the_server_did_not_read()
    {
        const int chunk = 4096;
        using var server = new RunningServer("limits: { output_buffer_bytes: 65536, message_timeout: 700ms, output_stall_timeout: 0 }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient slow = server.Connect();
        const int lines = 16_000; // 16 MB: more than the socket buffers between us hold, so the server stops reading.
        string line = new string('a', 999) + "\n"; // Reads end mid-line: a message is nearly always under way.
        Task sending = Task.Run(() => slow.Send(string.Concat(Enumerable.Repeat(line, lines))));

        // A chunk at a time for 3 s, then the rest at full speed.
        var clock = Stopwatch.StartNew();
        using var pace = new ManualResetEventSlim();
        long read = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            slow.ReadAndCheck(chunk, offset => (read + offset) % line.Length == line.Length - 1 ? (byte)'\n' : (byte)'A');
            read += chunk;
            pace.Wait(100); // A slow reader's pace, not a wait for anything.
        }

        slow.ReadAndCheck((lines * (long)line.Length) - read, offset => (read + offset) % line.Length == line.Length - 1 ? (byte)'\n' : (byte)'A');
        Assert.That(await Task.WhenAny(sending, Task.Delay(TestClient.Timeout)), Is.SameAs(sending));
        Assert.That(metrics.Read("pluggable_echo.connection.active"), Is.EqualTo(1), "never closed");
        Assert.That(metrics.Read("pluggable_echo.read.pauses"), Is.GreaterThan(0), "it was not read from at times");
    }
}

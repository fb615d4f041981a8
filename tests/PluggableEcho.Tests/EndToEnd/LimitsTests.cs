using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using PluggableEcho.Host.Errors;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>The <c>limits:</c> section over real sockets, with each poller.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class LimitsTests(string poller)
{
    [Test]
    public void A_client_over_max_connections_is_told_and_closed_and_a_freed_slot_serves_the_next()
    {
        using var server = new RunningServer("limits: { max_connections: 2 }\n", poller);
        using TestClient first = server.Connect();
        using TestClient second = server.Connect();
        first.Send("one\n");
        second.Send("two\n");
        Assert.That(first.ReadLine(), Is.EqualTo("ONE\n"));
        Assert.That(second.ReadLine(), Is.EqualTo("TWO\n"));

        using (TestClient third = server.Connect())
        {
            Assert.That(Encoding.ASCII.GetString(third.ReadToEnd()), Is.EqualTo("ERR max connections reached\n"));
        }

        first.EndSending();
        Assert.That(first.ReadToEnd(), Is.Empty, "the server closes once it has answered everything");
        using TestClient fourth = server.Connect();
        fourth.Send("four\n");
        Assert.That(fourth.ReadLine(), Is.EqualTo("FOUR\n"));
    }

    [Test]
    public void A_connection_older_than_max_connection_duration_is_ended_after_a_reply_and_never_mid_message()
    {
        using var server = new RunningServer("limits: { max_connection_duration: 300ms }\n", poller);
        using var metrics = new MetricsReader(server.Meter);
        using TestClient client = server.Connect();
        var clock = Stopwatch.StartNew();

        // Half a message, held past the age: the connection is not at a message boundary.
        client.Send("half");
        Thread.Sleep(TimeSpan.FromMilliseconds(600)); // It ages past the limit: the time itself is under test.
        Assert.That(metrics.Read("pluggable_echo.connection.active"), Is.EqualTo(1), "still open: it is mid-message");
        client.Send(" and half\n");
        Assert.That(client.ReadLine(), Is.EqualTo("HALF AND HALF\n"), "finished and answered, not cut");

        // After that reply the server ends its side; a request sent meanwhile gets no reply, and
        // the client sees the end instead: its cue to reconnect and ask again.
        string? next = client.ReadLineOrEnd();
        Assert.That(next, Is.Null, "the end, right after the reply");
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(300)));
        client.Dispose();
        Assert.That(metrics.ReadWhen("pluggable_echo.connection.closed", v => v == 1, "reason=max_duration"), Is.EqualTo(1));
    }

    [Test]
    public void An_idle_connection_is_closed_after_idle_timeout_and_a_busy_one_is_not()
    {
        using var server = new RunningServer("limits: { idle_timeout: 300ms }\n", poller);
        using TestClient idle = server.Connect();
        using TestClient busy = server.Connect();
        var clock = Stopwatch.StartNew();

        // Busy for more than three timeouts, never silent for one.
        for (int i = 0; clock.Elapsed < TimeSpan.FromMilliseconds(1000); i++)
        {
            busy.Send($"still {i}\n");
            Assert.That(busy.ReadLine(), Is.EqualTo($"STILL {i}\n"));
            using var pause = new ManualResetEventSlim();
            pause.Wait(TimeSpan.FromMilliseconds(50));
        }

        Assert.That(idle.ReadToEnd(), Is.Empty, "the silent one was closed meanwhile");
        busy.Send("and on\n");
        Assert.That(busy.ReadLine(), Is.EqualTo("AND ON\n"));
    }

    [Test]
    public async Task Under_the_close_policy_a_message_that_is_too_long_ends_the_connection_after_the_replies_before_it()
    {
        using var server = new RunningServer("limits: { max_message_bytes: 16, on_oversize: close }\n", poller);
        using TestClient client = server.Connect();

        client.Send("short\n");
        Task sending = Task.Run(() => client.Send(new string('x', 100_000) + "\nnever answered\n"));
        string replies = Encoding.ASCII.GetString(client.ReadToEnd());
        await sending;

        Assert.That(replies, Is.EqualTo("SHORT\nERR message longer than 16 bytes\n"));
    }

    [Test]
    public void Under_the_skip_policy_a_message_that_is_too_long_is_answered_with_an_error_and_the_next_ones_go_on()
    {
        using var server = new RunningServer("limits: { max_message_bytes: 16, on_oversize: skip }\n", poller);
        using TestClient client = server.Connect();

        client.Send("short\n" + new string('x', 17) + "\nnext\n");
        Assert.That(client.ReadLine(), Is.EqualTo("SHORT\n"));
        Assert.That(client.ReadLine(), Is.EqualTo("ERR message longer than 16 bytes\n"));
        Assert.That(client.ReadLine(), Is.EqualTo("NEXT\n"));

        // One whose end arrives much later, in many pieces: every piece is dropped until its end.
        for (int i = 0; i < 50; i++)
        {
            client.Send(new string('y', 1000));
        }

        Assert.That(client.ReadLine(), Is.EqualTo("ERR message longer than 16 bytes\n"));
        client.Send("yyy\r\nafter\r\n");
        Assert.That(client.ReadLine(), Is.EqualTo("AFTER\r\n"), "the rest of the skipped line is dropped, the next one answered");
    }

    [Test]
    public void A_limit_with_a_bad_value_stops_start_up_naming_its_line_and_column()
    {
        var error = Assert.Throws<StartupException>(() => new RunningServer("limits:\n  idle_timeout: soon\n  on_oversize: explode\n", poller).Dispose())!;

        Assert.That(error.Problems, Has.Some.Contains("echo.yaml:2:17: option 'idle_timeout' of limits expects a duration such as 500ms, 30s, 5m or 1h, got 'soon'"));
        Assert.That(error.Problems, Has.Some.Contains("echo.yaml:3:16: option 'on_oversize' of limits expects one of close, skip, got 'explode'"));
    }

    [Test]
    public void A_client_that_writes_50_MiB_without_reading_cannot_grow_the_servers_memory_and_then_gets_all_of_it()
    {
        const long total = 50L << 20;
        const int outputBuffer = 1 << 20;
        using var server = new RunningServer($"pipeline: [rot13]\nloops: 1\nlimits: {{ output_buffer_bytes: {outputBuffer} }}\n", poller);
        using TestClient client = server.Connect();
        byte[] line = Encoding.ASCII.GetBytes(new string('a', 1023) + "\n"); // 50 MiB is 51,200 of them.
        long before = ManagedMemory();

        // Until neither the server nor the kernel takes another byte for a while: the server
        // has stopped reading, with its output queue full.
        long sent = client.SendUntilRefused(line, total, patience: TimeSpan.FromSeconds(1));
        long held = ManagedMemory() - before;
        TestContext.Out.WriteLine($"{poller}: sent {sent >> 20} MiB before the server stopped reading; managed memory grew by {held / 1024} KiB");

        Assert.That(sent, Is.LessThan(total), "the server must stop reading a client that does not read");
        Assert.That(held, Is.LessThan(outputBuffer + (4 << 20)), "output_buffer_bytes plus a small constant");

        // Now it reads: it gets every byte, transformed, in order, while it sends the rest.
        Task sending = Task.Run(() => client.Send(Repeat(line, sent, total)));
        client.ReadAndCheck(total, offset => offset % line.Length == line.Length - 1 ? (byte)'\n' : (byte)'n');
        Assert.That(sending.Wait(TestClient.Timeout), Is.True);
    }

    /// <summary>The managed heap after a full collection: what the server (in this process) holds.</summary>
    private static long ManagedMemory() => GC.GetTotalMemory(forceFullCollection: true);

    /// <summary>The bytes of the repeated <paramref name="unit"/> from offset <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static byte[] Repeat(byte[] unit, long from, long to)
    {
        byte[] bytes = new byte[to - from];
        for (long i = 0; i < bytes.Length; i++)
        {
            bytes[i] = unit[(from + i) % unit.Length];
        }

        return bytes;
    }
}

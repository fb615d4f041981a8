using System.Diagnostics;
using System.Net;
using PluggableEcho.Host.Networking;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>A step that never returns holds its loop: the watchdog says so, readiness follows it,
/// the other loop serves on, and a stop does not wait for it longer than shutdown_timeout.</summary>
[TestFixture("epoll")]
[TestFixture("select")]
public sealed class StuckLoopTests(string poller)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromMilliseconds(300);

    [TearDown]
    public void ReleaseHangingSteps() => HangingSteps.ReleaseAll();

    [Test]
    public async Task A_step_that_never_returns_is_reported_while_the_other_loop_serves_and_readiness_follows_it()
    {
        using var server = new RunningServer("""
            loops: 2
            admin: { listen: 127.0.0.1:0 }
            limits: { step_timeout: 300ms, shutdown_timeout: 500ms }
            pipeline: [hangs-on]
            """, poller);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.AdminEndPoint}") };
        (TestClient stuck, TestClient other) = OneOnEachLoop(server);
        using (stuck)
        using (other)
        {
            var clock = Stopwatch.StartNew();
            stuck.Send("hang\n");

            string reported = server.Log.WaitFor(125);
            Assert.That(clock.Elapsed, Is.LessThan(StepTimeout + TimeSpan.FromSeconds(1)), "reported within step_timeout and a second");
            Assert.That(reported, Does.StartWith("event loop echo-loop-1 is stuck: it has been in step 1 'hangs-on' (")
                .And.Contain($"serving connection ").And.Contain($" from {stuck.LocalEndPoint} on listener 0 for "));

            other.Send("still there?\n");
            Assert.That(other.ReadLine(), Is.EqualTo("still there?\n"), "the other loop serves on");
            (HttpStatusCode status, string body) = await Get(http, "/readyz");
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body, Does.StartWith("faulted: echo-loop-1 stuck in step 1 'hangs-on'").And.Contain($"from {stuck.LocalEndPoint}"));
            Assert.That((await Get(http, "/metrics")).Body, Does.Contain("# TYPE pluggable_echo_loop_stuck gauge\n")
                .And.Contain("pluggable_echo_loop_stuck{loop=\"echo-loop-0\"} 0\n").And.Contain("pluggable_echo_loop_stuck{loop=\"echo-loop-1\"} 1\n"));

            HangingSteps.ReleaseAll();
            Assert.That(stuck.ReadLine(), Is.EqualTo("hang\n"), "the step returned");
            Assert.That(server.Log.WaitFor(126), Does.StartWith("event loop echo-loop-1 runs again after ").And.Contain("in step 1 'hangs-on'"));
            Assert.That(await Get(http, "/readyz"), Is.EqualTo((HttpStatusCode.OK, "ready\n")));
            Assert.That((await Get(http, "/metrics")).Body, Does.Contain("pluggable_echo_loop_stuck{loop=\"echo-loop-1\"} 0\n"));
            Assert.That(server.Log.Messages(125), Has.Count.EqualTo(1), "one error for one stuck step");
        }
    }

    [TestCase("300ms")]
    [TestCase("0")]
    public void A_stop_leaves_a_stuck_loop_behind_after_shutdown_timeout_and_names_it(string stepTimeout)
    {
        var shutdownTimeout = TimeSpan.FromMilliseconds(500);
        using var server = new RunningServer($"loops: 2\nlimits: {{ step_timeout: {stepTimeout}, shutdown_timeout: 500ms }}\npipeline: [hangs-on]\n", poller);
        (TestClient stuck, TestClient other) = OneOnEachLoop(server);
        using (stuck)
        using (other)
        {
            stuck.Send("hang\n");
            WaitUntil(() => server.Server.Loops[1].DescribeWork().StartsWith("in step 1", StringComparison.Ordinal));

            var clock = Stopwatch.StartNew();
            server.Stop();

            Assert.That(clock.Elapsed, Is.LessThan(shutdownTimeout + EchoServer.StopGrace + TimeSpan.FromSeconds(1)), "shutdown_timeout, a second to close, no more");
            Assert.That(other.ReadToEnd(), Is.Empty, "the other loop's client was let go as at any stop");
            Assert.That(server.Log.Messages(108).Single(), Does.StartWith("event loop echo-loop-1 did not stop within 1.5 s").And.Contain("it is still in step 1 'hangs-on'"));
        }
    }

    [Test]
    public async Task A_step_out_of_memory_is_reported_once_and_the_server_is_not_ready_from_then_on()
    {
        using var server = new RunningServer("loops: 1\nadmin: { listen: 127.0.0.1:0 }\npipeline: [runs-out-of-memory-on]\n", poller);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.AdminEndPoint}") };
        using TestClient client = server.Connect();

        client.Send("oom\noom\nfine\n");

        Assert.That(client.ReadLine(), Does.StartWith("ERR runs-out-of-memory-on: Insufficient memory"), "answered by on_error, as any failure");
        Assert.That(client.ReadLine(), Does.StartWith("ERR runs-out-of-memory-on: Insufficient memory"));
        Assert.That(client.ReadLine(), Is.EqualTo("fine\n"));
        Assert.That(server.Log.WaitFor(127), Does.StartWith("event loop echo-loop-0: step 1 'runs-out-of-memory-on' (")
            .And.Contain($"ran out of memory (OutOfMemoryException) serving connection ").And.Contain($" from {client.LocalEndPoint} on listener 0"));
        (HttpStatusCode status, string body) = await Get(http, "/readyz");
        Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(body, Does.StartWith("faulted: echo-loop-0: step 1 'runs-out-of-memory-on'"));

        server.Stop();
        Assert.That(server.Log.Messages(127), Has.Count.EqualTo(1), "one error, however many messages failed so");
    }

    /// <summary>A client served by each of the two loops, found by which loop's count a message moves.</summary>
    private static (TestClient OnLoop1, TestClient OnLoop0) OneOnEachLoop(RunningServer server)
    {
        var found = new TestClient?[2];
        var spare = new List<TestClient>();
        for (int i = 0; i < 64 && found.Contains(null); i++)
        {
            TestClient client = server.Connect();
            long[] before = [.. server.Server.Loops.Select(MessagesOf)];
            client.Send("where?\n");
            Assert.That(client.ReadLine(), Is.EqualTo("where?\n"));
            int loop = Enumerable.Range(0, 2).Single(l => MessagesOf(server.Server.Loops[l]) > before[l]);
            if (found[loop] is null)
            {
                found[loop] = client;
            }
            else
            {
                spare.Add(client);
            }
        }

        spare.ForEach(client => client.Dispose());
        Assert.That(found, Has.None.Null, "the kernel spread 64 clients over both loops");
        return (found[1]!, found[0]!);
    }

    private static long MessagesOf(EventLoop loop) => loop.Listeners[0].Counters.MessagesReceived;

    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TestClient.Timeout), "waited too long");
            Thread.Yield();
        }
    }
}

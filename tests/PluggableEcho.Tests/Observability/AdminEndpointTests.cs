using System.Net;
using System.Text.Json;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Observability;

/// <summary>The admin endpoint over real HTTP.</summary>
public sealed class AdminEndpointTests
{
    private const string Config = "loops: 1\nadmin: { listen: 127.0.0.1:0 }\n";

    [Test]
    public async Task Health_readiness_and_config_answer_while_the_server_serves()
    {
        using var server = new RunningServer(Config);
        using var http = Http(server);

        Assert.That(await Get(http, "/healthz"), Is.EqualTo((HttpStatusCode.OK, "ok\n")));
        Assert.That(await Get(http, "/readyz"), Is.EqualTo((HttpStatusCode.OK, "ready\n")));

        (HttpStatusCode status, string body) = await Get(http, "/config");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        using JsonDocument config = JsonDocument.Parse(body);
        Assert.That(config.RootElement.GetProperty("listeners")[0].GetProperty("steps").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "uppercase" }));
        Assert.That(config.RootElement.GetProperty("sha256").GetString(), Has.Length.EqualTo(64));
        Assert.That(config.RootElement.GetProperty("listeners")[0].GetProperty("address").GetString(), Is.EqualTo(server.EndPoint.ToString()));
        Assert.That(config.RootElement.GetProperty("plugins").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("Uppercase"));
    }

    [Test]
    public async Task Metrics_are_served_in_the_Prometheus_text_format()
    {
        using var server = new RunningServer(Config);
        using var http = Http(server);
        using (TestClient client = server.Connect())
        {
            client.Send("hello\n");
            Assert.That(client.ReadLine(), Is.EqualTo("HELLO\n"));
        }

        using HttpResponseMessage response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        string text = await response.Content.ReadAsStringAsync();

        Assert.That(response.Content.Headers.ContentType?.ToString(), Does.StartWith("text/plain; version=0.0.4"));
        Assert.That(text, Does.Contain("# TYPE pluggable_echo_connection_accepted_total counter\n"));
        Assert.That(text, Does.Contain("pluggable_echo_connection_accepted_total{listener=\"listener 0\"} 1\n"));
        Assert.That(text, Does.Contain("pluggable_echo_message_replied_total{listener=\"listener 0\"} 1\n"));
        Assert.That(text, Does.Contain("# TYPE pluggable_echo_connection_active gauge\n"));
        Assert.That(text, Does.Contain("pluggable_echo_network_io_bytes_total{listener=\"listener 0\",network_io_direction=\"receive\"} 6\n"));
        Assert.That(text, Does.Contain("# TYPE pluggable_echo_loop_busy_time_seconds_total counter\n"));
    }

    [Test]
    public async Task After_POST_drain_readiness_fails_and_the_server_still_serves()
    {
        using var server = new RunningServer(Config);
        using var http = Http(server);

        using HttpResponseMessage drain = await http.PostAsync(new Uri("/drain", UriKind.Relative), null);

        Assert.That(drain.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Get(http, "/readyz"), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "draining\n")));
        Assert.That(await Get(http, "/healthz"), Is.EqualTo((HttpStatusCode.OK, "ok\n")));
        using TestClient client = server.Connect();
        client.Send("still here\n");
        Assert.That(client.ReadLine(), Is.EqualTo("STILL HERE\n"));
    }

    [Test]
    public async Task Readiness_fails_as_soon_as_the_server_stops_while_its_loops_still_drain()
    {
        using var server = new RunningServer("admin: { listen: 127.0.0.1:0 }\nlimits: { shutdown_timeout: 30s }\n");
        using var http = Http(server);
        using TestClient slow = server.Connect();
        // Lines whose replies it never reads: the server holds them, and the drain waits for it.
        slow.SendUntilRefused(System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("abcdefg\n", 8192))), maxBytes: 64L << 20,
            patience: TimeSpan.FromMilliseconds(500));

        Task stopping = Task.Run(server.Stop); // Held up by the slow client's replies.
        (HttpStatusCode status, string body) = await GetWhen(http, "/readyz", r => r.Status == HttpStatusCode.ServiceUnavailable);

        Assert.That((status, body), Is.EqualTo((HttpStatusCode.ServiceUnavailable, "draining\n")));
        Assert.That(stopping.IsCompleted, Is.False, "the loops are still draining");
        slow.Dispose(); // Lets the drain end.
        Assert.That(await Task.WhenAny(stopping, Task.Delay(TestClient.Timeout)), Is.SameAs(stopping));
    }

    [Test]
    public void Stats_prints_the_main_figures_of_a_running_server()
    {
        using var server = new RunningServer(Config);
        using (TestClient client = server.Connect())
        {
            client.Send("one\ntwo\n");
            Assert.That(client.ReadLine() + client.ReadLine(), Is.EqualTo("ONE\nTWO\n"));
        }

        using var stats = new HostProcess("stats", server.AdminEndPoint!.ToString());

        Assert.That(stats.WaitForExit(), Is.Zero, stats.StandardError);
        Assert.That(stats.StandardOutput, Does.Contain("readiness    ready"));
        Assert.That(stats.StandardOutput, Does.Contain("accepted 1,"));
        Assert.That(stats.StandardOutput, Does.Contain("messages     received 2, replied 2, dropped 0, oversize 0"));
        Assert.That(stats.StandardOutput, Does.Match(@"loop +echo-loop-0: [0-9.]+ s busy in all"));
    }

    [Test]
    public void Stats_says_so_when_no_admin_endpoint_answers()
    {
        using var server = new RunningServer(Config);
        string data = server.EndPoint.ToString(); // A server, but not an HTTP one.
        server.Stop();

        using var stats = new HostProcess("stats", data);

        Assert.That(stats.WaitForExit(), Is.EqualTo(1));
        Assert.That(stats.StandardError, Does.StartWith($"error: {data}: "));
    }

    [Test]
    public void An_admin_address_in_use_stops_start_up_with_one_line_and_no_stack_trace()
    {
        using var taken = new PortInUse();
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"plugins: {AllPlugins.Folder}\nadmin: {{ listen: {taken.EndPoint} }}\n");

        using var server = new HostProcess("--config", config, "--listen", "127.0.0.1:0");

        Assert.That(server.WaitForExit(), Is.EqualTo(1));
        Assert.That(server.StandardError.Trim(), Is.EqualTo($"error: cannot start the admin endpoint: admin: listen: {taken.EndPoint}: "
            + $"Failed to bind to address http://{taken.EndPoint}: address already in use."));
        Assert.That(server.StandardOutput, Does.Not.Contain("Exception").And.Not.Contain("   at "));
    }

    private static HttpClient Http(RunningServer server) =>
        new() { BaseAddress = new Uri($"http://{server.AdminEndPoint}"), Timeout = TestClient.Timeout };

    private static async Task<(HttpStatusCode Status, string Body)> Get(HttpClient http, string path)
    {
        using HttpResponseMessage response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetWhen(HttpClient http, string path, Func<(HttpStatusCode Status, string Body), bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (HttpStatusCode, string) result;
        while (!condition(result = await Get(http, path)) && clock.Elapsed < TestClient.Timeout)
        {
            await Task.Yield();
        }

        return result;
    }
}

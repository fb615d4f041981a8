using System.Text.Json;
using System.Text.RegularExpressions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Logging;

/// <summary>What the real server writes to its log, as an operator reads it.</summary>
public sealed partial class LogVolumeTests
{
    private const int SIGTERM = 15;

    [Test]
    public void A_client_whose_every_message_fails_costs_the_log_a_few_lines_a_second()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"loops: 1\nplugins: {AllPlugins.Folder}\npipeline: [throws-on-boom]\n");
        using var server = new HostProcess("--config", config, "--listen", "127.0.0.1:0");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var client = new TestClient(server.WaitUntilListening()))
        {
            const int messages = 5_000;
            client.Send(string.Concat(Enumerable.Repeat("boom\n", messages)));
            for (int i = 0; i < messages; i++)
            {
                Assert.That(client.ReadLine(), Does.StartWith("ERR throws-on-boom"));
            }
        }

        server.WaitForLine(Suppressed()); // The flood's summary, once its window is over.
        double seconds = clock.Elapsed.TotalSeconds;
        server.SendSignal(SIGTERM);
        Assert.That(server.WaitForExit(), Is.Zero);

        int failures = server.StandardOutput.Split('\n').Count(line => line.Contains("step 'throws-on-boom' failed", StringComparison.Ordinal));
        Assert.That(failures, Is.InRange(1, 10 * (Math.Ceiling(seconds) + 1)), "at most 10 lines a second of the same event");
        Assert.That(server.StandardOutput, Does.Not.Contain("   at "), "no stack trace at the default level");
    }

    [Test]
    public void With_log_format_json_each_event_is_one_JSON_object()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"log_format: json\nplugins: {AllPlugins.Folder}\n");
        using var server = new HostProcess("--config", config, "--listen", "127.0.0.1:0");

        Match listening = server.WaitForLine(JsonListening());
        server.SendSignal(SIGTERM);
        Assert.That(server.WaitForExit(), Is.Zero);

        using JsonDocument line = JsonDocument.Parse(listening.Value);
        Assert.That(line.RootElement.GetProperty("EventId").GetInt32(), Is.EqualTo(100));
        Assert.That(line.RootElement.GetProperty("Message").GetString(), Does.Match(@"listening on 127\.0\.0\.1:\d+$"));
        Assert.That(line.RootElement.GetProperty("State").GetProperty("EndPoint").GetString(), Does.StartWith("127.0.0.1:"));
    }

    [GeneratedRegex(@"similar events \(event id 200\) suppressed")]
    private static partial Regex Suppressed();

    [GeneratedRegex(@"^\{.*listening on.*\}$")]
    private static partial Regex JsonListening();
}

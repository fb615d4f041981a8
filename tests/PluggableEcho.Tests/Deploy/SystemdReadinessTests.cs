using System.Net;
using System.Text.RegularExpressions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Deploy;

/// <summary>Type=notify: the real executable tells a socket like systemd's when it is ready and
/// when it stops, and ready means every listener and the admin endpoint answer.</summary>
public sealed partial class SystemdReadinessTests
{
    private const int SIGTERM = 15;

    [Test]
    public void Systemd_hears_ready_once_the_server_answers_and_stopping_when_it_stops()
    {
        using var folder = new TempFolder();
        using var systemd = new NotifySocket(Path.Combine(folder.Path, "notify"));
        using var host = new HostProcess(systemd.Environment, "--listen", "127.0.0.1:0");

        IReadOnlyList<string> beforeReady = systemd.ReceiveUntil("READY=1");
        IPEndPoint endPoint = host.WaitUntilListening();
        Assert.That(beforeReady, Is.EqualTo(new[] { $"STATUS=listening on {endPoint}" }));
        using (var client = new TestClient(endPoint))
        {
            client.Send("hello\n");
            Assert.That(client.ReadLine(), Is.EqualTo("HELLO\n"));
        }

        host.SendSignal(SIGTERM);
        Assert.That(systemd.ReceiveUntil("STOPPING=1"), Is.Empty);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
    }

    [Test]
    public async Task Systemd_hears_ready_only_when_every_listener_and_the_admin_endpoint_answer()
    {
        using var folder = new TempFolder();
        string config = folder.Write("two.yaml", """
            listeners:
              - listen: 127.0.0.1:0
              - listen: 127.0.0.1:0
                pipeline: [reverse]
            admin: { listen: 127.0.0.1:0 }

            """);
        using var systemd = new NotifySocket(Path.Combine(folder.Path, "notify"));
        using var host = new HostProcess(systemd.Environment, "--config", config);

        // Straight from the status: nothing read from the log, so nothing waited for but READY=1.
        IReadOnlyList<string> beforeReady = systemd.ReceiveUntil("READY=1");
        Assert.That(beforeReady, Has.Count.EqualTo(1));
        Match status = StatusLine().Match(beforeReady[0]);
        Assert.That(status.Success, beforeReady[0]);
        using (var upper = new TestClient(IPEndPoint.Parse(status.Groups["first"].Value)))
        using (var reversed = new TestClient(IPEndPoint.Parse(status.Groups["second"].Value)))
        {
            upper.Send("hello\n");
            reversed.Send("hello\n");
            Assert.That((upper.ReadLine(), reversed.ReadLine()), Is.EqualTo(("HELLO\n", "olleh\n")));
        }

        using var http = new HttpClient { Timeout = TestClient.Timeout };
        Assert.That(await http.GetStringAsync(new Uri($"http://{status.Groups["admin"].Value}/readyz")), Does.StartWith("ready"));

        host.SendSignal(SIGTERM);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
    }

    [Test]
    public void A_server_whose_admin_endpoint_cannot_start_never_says_ready()
    {
        using var taken = new PortInUse();
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"admin: {{ listen: {taken.EndPoint} }}\n");
        using var systemd = new NotifySocket(Path.Combine(folder.Path, "notify"));

        using var host = new HostProcess(systemd.Environment, "--config", config, "--listen", "127.0.0.1:0");

        Assert.That(host.WaitForExit(), Is.EqualTo(1));
        Assert.That(host.StandardError, Does.Contain("cannot start the admin endpoint"));
        Assert.That(systemd.ReceivedSoFar(), Is.EqualTo(new[] { "STOPPING=1" }), "heard from, but never ready");
    }

    [GeneratedRegex(@"^STATUS=listening on (?<first>\S+), (?<second>\S+); admin on (?<admin>\S+)$")]
    private static partial Regex StatusLine();
}

using System.Text.RegularExpressions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>The executable itself: arguments, the ready line, signals and exit codes.</summary>
public sealed class HostProcessTests
{
    private const int SIGHUP = 1;
    private const int SIGINT = 2;
    private const int SIGQUIT = 3;
    private const int SIGUSR1 = 10;
    private const int SIGUSR2 = 12;
    private const int SIGTERM = 15;

    [TestCase(SIGTERM)]
    [TestCase(SIGINT)]
    [TestCase(SIGQUIT)]
    public void Away_from_a_config_serves_the_defaults_on_a_free_port_and_stops_cleanly_on_a_signal(int signal)
    {
        using var host = new HostProcess("--listen", "127.0.0.1:0"); // Runs in its build folder: no config/ there.
        System.Net.IPEndPoint endPoint = host.WaitUntilListening();
        Assert.That(endPoint.Port, Is.Not.Zero);
        Assert.That(host.OutputSoFar, Has.Some.Contains("config (no config file): framing line, pipeline [uppercase]"));

        using (var client = new TestClient(endPoint))
        {
            client.Send("hello\n");
            Assert.That(client.ReadLine(), Is.EqualTo("HELLO\n"));
        }

        host.SendSignal(signal);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
    }

    [Test]
    public void A_SIGHUP_reloads_the_config_and_a_broken_one_changes_nothing()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        using var host = new HostProcess("--config", config, "--listen", "127.0.0.1:0");
        System.Net.IPEndPoint endPoint = host.WaitUntilListening();
        using var before = new TestClient(endPoint);
        before.Send("hello\n");
        Assert.That(before.ReadLine(), Is.EqualTo("HELLO\n"));

        folder.Write("echo.yaml", "pipeline: [reverse]\n");
        host.SendSignal(SIGHUP); // What systemctl reload sends; by default it would end the process.
        host.WaitForLine(new Regex(@"reload \(SIGHUP\): generation 2 serves new connections.*pipeline \[uppercase\] -> \[reverse\]"));
        using (var after = new TestClient(endPoint))
        {
            after.Send("hello\n");
            Assert.That(after.ReadLine(), Is.EqualTo("olleh\n"));
        }

        before.Send("still\n"); // reload.existing: keep, for drain_timeout: its pipeline stays.
        Assert.That(before.ReadLine(), Is.EqualTo("STILL\n"));

        folder.Write("echo.yaml", "pipeline: [reverse\n");
        host.SendSignal(SIGHUP);
        host.WaitForLine(new Regex(@"reload \(SIGHUP\) failed; generation 2 goes on unchanged: .*echo\.yaml:\d+:\d+"));
        using (var later = new TestClient(endPoint))
        {
            later.Send("hello\n");
            Assert.That(later.ReadLine(), Is.EqualTo("olleh\n"));
        }

        host.SendSignal(SIGTERM);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
    }

    [TestCase(SIGUSR1, "SIGUSR1")]
    [TestCase(SIGUSR2, "SIGUSR2")]
    public void A_user_signal_is_logged_and_the_server_goes_on_serving(int signal, string name)
    {
        using var host = new HostProcess("--listen", "127.0.0.1:0");
        System.Net.IPEndPoint endPoint = host.WaitUntilListening();

        host.SendSignal(signal); // By default either would end the process.

        host.WaitForLine(new Regex($"{name}: ignored"));
        using (var client = new TestClient(endPoint))
        {
            client.Send("hello\n");
            Assert.That(client.ReadLine(), Is.EqualTo("HELLO\n"));
        }

        host.SendSignal(SIGTERM);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
    }

    [Test]
    public void Out_of_file_descriptors_the_server_waits_and_then_serves_everyone_waiting()
    {
        using var host = new HostProcess("--listen", "127.0.0.1:0");
        System.Net.IPEndPoint endPoint = host.WaitUntilListening();
        host.LimitFurtherDescriptors(100); // So most of the 300 clients below wait in the listen backlog.
        var clients = new List<TestClient>();
        try
        {
            for (int i = 0; i < 300; i++)
            {
                var client = new TestClient(endPoint);
                clients.Add(client);
                client.Send($"client {i}\n");
            }

            Assert.That(clients[0].ReadLine(), Is.EqualTo("CLIENT 0\n"));
            foreach (TestClient early in clients[..250])
            {
                early.Dispose();
            }

            for (int i = 250; i < 300; i++)
            {
                Assert.That(clients[i].ReadLine(), Is.EqualTo($"CLIENT {i}\n"));
            }

            Assert.That(host.WaitForLine(new Regex("accept failed: (\\w+); accepting again in 100 ms")).Groups[1].Value, Is.EqualTo("TooManyOpenSockets"));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Test]
    public void A_broken_config_names_line_and_column_and_exits_non_zero()
    {
        using var folder = new TempFolder();
        string config = folder.Write("broken.yaml", "listen: 127.0.0.1:0\npipeline:\n  - uppercase\n  - type: rot14\n");

        using var host = new HostProcess("--config", config);

        Assert.That(host.WaitForExit(), Is.EqualTo(1));
        Assert.That(host.StandardError, Does.Contain($"error: {config}:4:5: unknown transform 'rot14' (known: reverse, rot13, script, uppercase)"));
    }

    [Test]
    public void An_unknown_option_prints_usage_and_exits_2()
    {
        using var host = new HostProcess("--lisen", "127.0.0.1:0");

        Assert.That(host.WaitForExit(), Is.EqualTo(2));
        Assert.That(host.StandardError, Does.Contain("error: Unrecognized command or argument '--lisen'").And.Contain("Usage:\n  pluggable-echo [command] [options]"));
    }
}

using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>run</c>'s own options and failures, run as the real executable.</summary>
public sealed class RunCommandTests
{
    private const int SIGTERM = 15;

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void An_address_in_use_given_by_listen_is_named_with_the_option()
    {
        using var taken = new PortInUse();

        using var server = new HostProcess("--listen", taken.EndPoint.ToString());

        Assert.That(server.WaitForExit(), Is.EqualTo(1));
        Assert.That(server.StandardError.Trim(), Is.EqualTo($"error: cannot listen on {taken.EndPoint} (--listen): Address already in use"));
    }

    [Test]
    public void An_address_in_use_from_the_config_is_named_with_the_line_and_column_of_its_listen()
    {
        using var taken = new PortInUse();
        string config = _folder.Write("echo.yaml", $"pipeline: [uppercase]\nlisten: {taken.EndPoint}\n");

        using var server = new HostProcess("--config", config);

        Assert.That(server.WaitForExit(), Is.EqualTo(1));
        Assert.That(server.StandardError.Trim(), Is.EqualTo($"error: cannot listen on {taken.EndPoint} (listen: at {config}:2:1): Address already in use"));
    }

    [Test]
    public void With_framing_raw_a_client_that_sends_no_line_ending_gets_its_reply()
    {
        // As the original msg>>: client sends: the text, no newline, then waits for the reply.
        using var server = new HostProcess("--framing", "raw", "--listen", "127.0.0.1:0");
        using (var client = new TestClient(server.WaitUntilListening()))
        {
            client.Send("hello");

            Assert.That(Encoding.UTF8.GetString(client.ReadExactly(5)), Is.EqualTo("HELLO"));
        }

        server.SendSignal(SIGTERM);
        Assert.That(server.WaitForExit(), Is.Zero, server.StandardError);
        Assert.That(server.OutputSoFar, Has.Some.Contains("framing raw, pipeline [uppercase]"));
    }
}

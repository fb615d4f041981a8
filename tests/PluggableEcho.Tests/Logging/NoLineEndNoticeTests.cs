using System.Net;
using System.Text.RegularExpressions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Logging;

/// <summary>Why a client gets no reply: the log says so of a line that never ends.</summary>
public sealed partial class NoLineEndNoticeTests
{
    private const int SIGTERM = 15;

    [Test]
    public void A_line_without_an_ending_is_explained_once_per_connection_after_2_s_without_a_byte()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", "loops: 1\n");
        using var server = new HostProcess("--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint address = server.WaitUntilListening();
        using var first = new TestClient(address);
        using var second = new TestClient(address);

        first.Send("hello"); // As the original client sends: no newline.
        second.Send("hi");

        // Each is told of once: a notice said again would come right after its first, before the other's.
        string[] told = [server.WaitForLine(Notice()).Groups["client"].Value, server.WaitForLine(Notice()).Groups["client"].Value];
        Assert.That(told, Is.EquivalentTo(new[] { first.LocalEndPoint.ToString(), second.LocalEndPoint.ToString() }));

        first.Send("\n");
        Assert.That(first.ReadLine(), Is.EqualTo("HELLO\n"), "still served");
        server.SendSignal(SIGTERM);
        Assert.That(server.WaitForExit(), Is.Zero, server.StandardError);
        Assert.That(server.OutputSoFar.Count(line => Notice().IsMatch(line)), Is.EqualTo(2));
        Assert.That(server.OutputSoFar, Has.Some.Match(
            $@"info: \S+\[124\] connection \d+ from {Regex.Escape(first.LocalEndPoint.ToString())} sent 5 bytes without a line ending and has waited 2 s: "
            + @"with framing line a message ends at a newline; a client that sends none needs framing raw \(--framing raw\)$"));
    }

    [GeneratedRegex(@"connection \d+ from (?<client>\S+) sent \d+ bytes without a line ending")]
    private static partial Regex Notice();
}

using System.Net;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary><c>limits.on_stuck: exit</c>, for a supervisor: the real executable stops as on SIGTERM
/// and exits with its own code.</summary>
public sealed class OnStuckExitTests
{
    private const int LoopFault = 3;

    [TestCase("hangs-on", "hang", "event loop echo-loop-1 did not stop within 3 s")]
    [TestCase("runs-out-of-memory-on", "oom", "echo-loop-1 stopped")]
    public void The_server_lets_the_other_clients_take_their_replies_then_exits_with_3(string step, string trigger, string lastWord)
    {
        using var folder = new TempFolder();
        // With select the first loop accepts and deals clients out in turn: the first to loop 0, the second to loop 1.
        string config = folder.Write("echo.yaml", $$"""
            listen: 127.0.0.1:0
            plugins: {{AllPlugins.Folder}}
            loops: 2
            poller: select
            limits: { step_timeout: 300ms, on_stuck: exit, shutdown_timeout: 2s }
            pipeline: [{{step}}]
            """);
        using var host = new HostProcess("--config", config);
        IPEndPoint endPoint = host.WaitUntilListening();
        using var other = new TestClient(endPoint);
        using var faulty = new TestClient(endPoint);
        byte[] line = Encoding.ASCII.GetBytes(new string('a', 1023) + "\n");
        long wholeLines = other.SendUntilRefused(line, maxBytes: 64L << 20, patience: TimeSpan.FromMilliseconds(500)) / line.Length;

        faulty.Send($"{trigger}\n");

        // Its replies queued in the server when the fault came: it gets every one, then the end.
        other.ReadAndCheck(wholeLines * line.Length, offset => offset % line.Length == line.Length - 1 ? (byte)'\n' : (byte)'a');
        Assert.That(other.ReadToEnd(), Is.Empty, "an end of stream after the last reply, not a reset");
        Assert.That(host.WaitForExit(), Is.EqualTo(LoopFault), host.StandardError);
        Assert.That(host.StandardOutput, Does.Contain("on_stuck: exit: the server stops, and will exit with code 3").And.Contain(lastWord));
        Assert.That(host.StandardError, Does.Contain("; on_stuck: exit"));
    }
}

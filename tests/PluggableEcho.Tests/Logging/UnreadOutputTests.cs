using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Logging;

/// <summary>The real server whose standard output is a pipe nobody reads (a paused pager, a
/// blocked log driver) while a client makes every message fail and log.</summary>
public sealed class UnreadOutputTests
{
    private const int SIGTERM = 15;
    private const int F_SETPIPE_SZ = 1031;

    [Test]
    public void A_server_whose_log_nobody_reads_keeps_answering_and_stops_on_SIGTERM()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $$"""
            loops: 1
            plugins: {{AllPlugins.Folder}}
            pipeline: [throws-on-boom]
            limits: { shutdown_timeout: 5s }

            """);
        using var server = new HostProcess(readOutput: false, "--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = server.WaitUntilListening();

        // From here on nobody reads: the smallest pipe fills after a few dozen lines.
        Assert.That(fcntl(server.OutputPipe.SafePipeHandle.DangerousGetHandle(), F_SETPIPE_SZ, 4096), Is.GreaterThan(0));
        using (var flooder = new TestClient(endPoint))
        using (var bystander = new TestClient(endPoint))
        {
            var flood = Task.Run(() =>
            {
                // Long enough for the log to outgrow the pipe, even at its budget of lines a second.
                string batch = string.Concat(Enumerable.Repeat("boom\n", 100));
                for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(5);)
                {
                    flooder.Send(batch);
                    for (int reply = 0; reply < 100; reply++)
                    {
                        flooder.ReadLine();
                    }
                }
            });

            // Every failure logs. The bystander is answered throughout.
            for (int i = 0; !flood.IsCompleted; i++)
            {
                bystander.Send($"ping {i}\n");
                Assert.That(bystander.ReadLine(), Is.EqualTo($"ping {i}\n"));
            }

            Assert.That(flood.Wait(TestClient.Timeout), Is.True, "every failing message was answered");
        }

        server.SendSignal(SIGTERM);
        Assert.That(server.WaitForExit(), Is.Zero, "stopped cleanly within shutdown_timeout and the log's grace");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(IntPtr fd, int command, int argument);
}

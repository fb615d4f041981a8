using System.Diagnostics;
using System.IO.Pipes;
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
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.HostOutput,
            ArgumentList = { TestPaths.HostAssembly, "--config", config, "--listen", "127.0.0.1:0" },
        };
        using Process server = Process.Start(start)!;
        try
        {
            IPEndPoint endPoint = ReadUntilListening(server.StandardOutput);

            // From here on nobody reads: the smallest pipe fills after a few dozen lines.
            Assert.That(fcntl(((PipeStream)server.StandardOutput.BaseStream).SafePipeHandle.DangerousGetHandle(), F_SETPIPE_SZ, 4096), Is.GreaterThan(0));
            using var flooder = new TestClient(endPoint);
            using var bystander = new TestClient(endPoint);
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
            Assert.That(Kill(server.Id, SIGTERM), Is.Zero);
            Assert.That(server.WaitForExit(TimeSpan.FromSeconds(15)), Is.True, "stopped within shutdown_timeout and the log's grace");
            Assert.That(server.ExitCode, Is.Zero);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
            }
        }
    }

    private static IPEndPoint ReadUntilListening(StreamReader output)
    {
        var read = Task.Run(() =>
        {
            while (output.ReadLine() is { } line)
            {
                int at = line.IndexOf("listening on ", StringComparison.Ordinal);
                if (at >= 0)
                {
                    return IPEndPoint.Parse(line[(at + "listening on ".Length)..].Trim());
                }
            }

            throw new InvalidOperationException("the server's output ended before it listened");
        });
        Assert.That(read.Wait(TimeSpan.FromSeconds(30)), Is.True, "the server started");
        return read.Result;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(IntPtr fd, int command, int argument);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}

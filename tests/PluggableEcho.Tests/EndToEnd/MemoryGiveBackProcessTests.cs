using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>The real server's resident memory under clients that never read, and after they leave.</summary>
public sealed partial class MemoryGiveBackProcessTests
{
    private const long Budget = 128L << 20; // Shedding brings it to 7/8 of this: a fall from there must be worth a collection (64 MiB).

    [Test]
    public void Hoarders_cannot_take_the_server_far_past_its_budget_and_it_gives_the_memory_back_when_they_leave()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $$"""
            loops: 1
            plugins: {{AllPlugins.Folder}}
            limits: { max_buffered_bytes: {{Budget}}, output_stall_timeout: 0 }

            """);
        using var host = new HostProcess("--config", config, "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = host.WaitUntilListening();
        long baseline = host.ResidentBytes();

        // 200 clients that never read, each allowed 1 MiB of replies: far more than the budget.
        // Their receive buffers are small, so the replies stay in the server, not the kernel.
        var hoarders = new List<Socket>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
                hoarders.Add(socket);
                socket.Connect(endPoint);
                socket.Blocking = false;
            }

            SendUntilAllRefuse(hoarders);
            host.WaitForLine(Shed());
            long hoarding = host.ResidentBytes();
            TestContext.Out.WriteLine($"resident: {baseline >> 20} MiB before, {hoarding >> 20} MiB while they hoard (budget {Budget >> 20} MiB)");
            Assert.That(hoarding - baseline, Is.LessThan(3 * Budget), "the budget, and the garbage of the buffers outgrown on the way");

            foreach (Socket socket in hoarders)
            {
                socket.LingerState = new LingerOption(true, 0); // Reset, as a crowd that vanishes does.
                socket.Dispose();
            }

            host.WaitForLine(Collected());
            long after = host.ResidentBytes();
            TestContext.Out.WriteLine($"resident after they left: {after >> 20} MiB");

            Assert.That(after - baseline, Is.LessThan(24L << 20), "back near where it started: the heap collected, the pool emptied");
        }
        finally
        {
            hoarders.ForEach(socket => socket.Dispose());
        }
    }

    /// <summary>Sends lines on every socket until none has taken a byte for 300 ms (the server
    /// has stopped reading them all, or ended them).</summary>
    private static void SendUntilAllRefuse(List<Socket> sockets)
    {
        byte[] lines = HoarderLines.Chunk;
        var live = new HashSet<Socket>(sockets);
        var clock = Stopwatch.StartNew();
        TimeSpan lastProgress = TimeSpan.Zero;
        while (clock.Elapsed - lastProgress < TimeSpan.FromMilliseconds(300) && clock.Elapsed < TestClient.Timeout)
        {
            foreach (Socket socket in live.ToArray())
            {
                socket.Send(lines, SocketFlags.None, out SocketError error);
                if (error == SocketError.Success)
                {
                    lastProgress = clock.Elapsed;
                }
                else if (error != SocketError.WouldBlock)
                {
                    live.Remove(socket); // Ended by the server.
                }
            }

            Thread.Sleep(5); // The pace of the crowd, not a wait for anything.
        }
    }

    [GeneratedRegex(@"\[121\]")]
    private static partial Regex Shed();

    [GeneratedRegex(@"\[123\]")]
    private static partial Regex Collected();
}

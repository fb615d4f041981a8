using System.Diagnostics;

namespace PluggableEcho.Tests.Fleet;

/// <summary>A rolling restart behind the real HAProxy, under load: no client loses a line or sees a reset.</summary>
public sealed class RollingRestartTests
{
    private const int Clients = 100;
    private const int Window = 4;
    private const int MaxLinesPerClient = 2000;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(25); // 100 clients: at most 4000 lines/s.

    [Test]
    [CancelAfter(60_000)]
    public async Task Every_server_restarted_in_turn_under_load_loses_no_line_and_resets_no_client(CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using EchoFleet fleet = await EchoFleet.StartAsync(3);
        var counts = new LoadCounts();
        bool restarting = true;
        PipeliningClient[] clients = [.. Enumerable.Range(0, Clients)
            .Select(id => new PipeliningClient(id, fleet.Haproxy.ClientEndPoint, Window, MaxLinesPerClient, counts))];
        Task load = Task.WhenAll(clients.Select(client => Task.Run(() => client.RunAsync(() => Volatile.Read(ref restarting), Pace, cancellation))));

        await WarmUpAsync(counts, load);
        var activeAtStop = new List<int>();
        for (int server = 0; server < fleet.Size && counts.Failures == 0; server++)
        {
            activeAtStop.Add(await fleet.RestartAsync(server));
            TestContext.Progress.WriteLine($"{EchoFleet.Name(server)} restarted: it had {activeAtStop[^1]} connections; {counts}");
        }

        Volatile.Write(ref restarting, false);
        await load.WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        TestContext.Out.WriteLine($"after {clock.Elapsed.TotalSeconds:F1} s: {counts}");

        Assert.Multiple(() =>
        {
            Assert.That(counts.Failures, Is.Zero, $"{string.Join("\n", counts.FailureNotes)}\nHAProxy's log, its flags saying which side ended each connection:\n{fleet.Haproxy.Output}");
            Assert.That(activeAtStop, Has.Count.EqualTo(fleet.Size).And.All.Positive, "each server had clients when stopped");
            Assert.That(counts.EndedByServer, Is.EqualTo(activeAtStop.Sum()), "each connection of a stopped server ended cleanly at its client");
            Assert.That(counts.Reconnects, Is.EqualTo(counts.EndedByServer), "each client whose connection ended came back through HAProxy");
            Assert.That(clients.Sum(c => c.AnsweredLines), Is.EqualTo(clients.Sum(c => c.DistinctLines)), "every line answered, once");
            Assert.That(counts.Answered, Is.EqualTo(clients.Sum(c => c.DistinctLines)));
            Assert.That(clients.Max(c => c.DistinctLines), Is.LessThan(MaxLinesPerClient), "the load ran for the whole restart");
        });
    }

    /// <summary>Until every client has had some replies (or the load has failed).</summary>
    private static async Task WarmUpAsync(LoadCounts counts, Task load)
    {
        var clock = Stopwatch.StartNew();
        while (counts.Answered < Clients * Window * 2 && counts.Failures == 0 && !load.IsCompleted)
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), $"the load did not get going: {counts}");
            await Task.Delay(50);
        }
    }
}

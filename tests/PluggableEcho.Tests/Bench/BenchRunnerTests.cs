using PluggableEcho.Host.Bench;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Bench;

/// <summary>The bench client against a real server over loopback, briefly.</summary>
public sealed class BenchRunnerTests
{
    [TestCase("PingPong", 4, 1)]
    [TestCase("Pipeline", 4, 8)]
    [TestCase("Stream", 1, 1)]
    public void A_run_against_the_server_counts_replies_and_finds_no_mismatch(string modeName, int connections, int depth)
    {
        BenchMode mode = Enum.Parse<BenchMode>(modeName);
        using var server = new RunningServer("");
        var output = new StringWriter();

        int exit = BenchRunner.Run(Options(server, mode, connections, depth), output, TextWriter.Null);

        string[] fields = output.ToString().Trim().Split('\t');
        Assert.That(exit, Is.Zero, output.ToString());
        Assert.That(fields[0], Is.EqualTo(mode.ToString().ToLowerInvariant()));
        Assert.That(long.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture), Is.Positive, "replies");
        Assert.That(fields, Has.Length.EqualTo(13), "the columns --tsv lists");
        Assert.That(fields[10..12], Is.EqualTo(new[] { "0", "0" }), "no mismatch, no error");
        double p999 = double.Parse(fields[9], System.Globalization.CultureInfo.InvariantCulture);
        double max = double.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        if (mode != BenchMode.Stream)
        {
            Assert.That(max, Is.Positive.And.GreaterThanOrEqualTo(p999 / 1.07), "the maximum, last, at least p99.9 (a bucket's edge, within ~6%)");
        }
    }

    [Test]
    public void Replies_that_are_not_what_is_expected_are_counted_as_mismatches()
    {
        using var server = new RunningServer("pipeline: [reverse]\n");
        var output = new StringWriter();

        int exit = BenchRunner.Run(Options(server, BenchMode.PingPong, 2, 1), output, TextWriter.Null);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(long.Parse(output.ToString().Trim().Split('\t')[10], System.Globalization.CultureInfo.InvariantCulture), Is.Positive);
    }

    [Test]
    public void Idle_mode_holds_its_connections_open_for_the_duration()
    {
        using var server = new RunningServer("limits: { max_connections: 10 }\n");
        var progress = new ProgressWatcher("holding 10 idle connections");

        Task<int> holding = Task.Run(() => BenchRunner.Run(Options(server, BenchMode.Idle, 10, 1) with { Duration = TimeSpan.FromSeconds(2) }, TextWriter.Null, progress));
        Assert.That(progress.Seen.Wait(TestClient.Timeout), Is.True, "the bench connected");
        using (TestClient eleventh = server.Connect())
        {
            Assert.That(eleventh.ReadLine(), Is.EqualTo("ERR max connections reached\n"), "the ten are held");
        }

        Assert.That(holding.Wait(TestClient.Timeout) && holding.Result == 0, Is.True);
    }

    private static BenchOptions Options(RunningServer server, BenchMode mode, int connections, int depth) => new(
        server.EndPoint, mode, connections, depth, Size: 64, Duration: TimeSpan.FromMilliseconds(300), Warmup: TimeSpan.FromMilliseconds(100),
        Expectation.Upper, Payload: null, Chunk: 16 * 1024, Threads: 2, Tsv: true);

    /// <summary>Progress output that signals when a line with the awaited text is written.</summary>
    private sealed class ProgressWatcher(string awaited) : StringWriter(System.Globalization.CultureInfo.InvariantCulture)
    {
        private readonly ManualResetEventSlim _seen = new();

        public ManualResetEventSlim Seen => _seen;

        public override void WriteLine(string? value)
        {
            if (value?.Contains(awaited, StringComparison.Ordinal) == true)
            {
                _seen.Set();
            }
        }

        protected override void Dispose(bool disposing)
        {
            _seen.Dispose();
            base.Dispose(disposing);
        }
    }
}

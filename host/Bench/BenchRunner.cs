using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Host.Bench;

/// <summary>Runs one benchmark against a line-based echo server and reports it.</summary>
internal static class BenchRunner
{
    /// <returns>0 if the run completed with no error and no mismatch, 1 otherwise.</returns>
    public static int Run(BenchOptions options, TextWriter output, TextWriter progress)
    {
        TimeSpan duration = options.Duration;
        TimeSpan warmup = options.Warmup;
        var loops = Enumerable.Range(0, Math.Clamp(options.Threads, 1, options.Connections)).Select(_ => new BenchLoop()).ToList();
        try
        {
            Message message = Message.For(options);
            for (int i = 0; i < options.Connections; i++)
            {
                Socket socket = Connect(options);
                BenchLoop loop = loops[i % loops.Count];
                loop.Add(new BenchConnection(socket, loop.Stats, message.Batch, message.Length, message.Expected, options.InFlight, options.Mode == BenchMode.Stream));
            }

            if (options.Mode == BenchMode.Idle)
            {
                progress.WriteLine($"holding {options.Connections} idle connections for {duration.TotalSeconds:0.#} s");
                Thread.Sleep(duration);
                return Report(options, new BenchStats(), duration, output, progress);
            }

            for (int i = 0; i < loops.Count; i++)
            {
                loops[i].Start($"bench-{i}");
            }

            Thread.Sleep(warmup);
            loops.ForEach(loop => loop.ClearStats());
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1000, (duration - clock.Elapsed).TotalMilliseconds)));
                long messages = loops.Sum(loop => Volatile.Read(ref loop.Stats.Messages));
                progress.Write($"\r{options.Mode.ToString().ToLowerInvariant()}: {clock.Elapsed.TotalSeconds,5:0.0} s, {messages / clock.Elapsed.TotalSeconds,12:N0} msg/s ");
            }

            loops.ForEach(loop => loop.Stop());
            TimeSpan measured = clock.Elapsed;
            progress.WriteLine();
            var total = new BenchStats();
            loops.ForEach(loop => total.Add(loop.Stats));
            return Report(options, total, measured, output, progress);
        }
        finally
        {
            loops.ForEach(loop => loop.Dispose());
        }
    }

    private static Socket Connect(BenchOptions options)
    {
        var socket = new Socket(options.Server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(options.Server);
            socket.Blocking = false;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static int Report(BenchOptions options, BenchStats stats, TimeSpan measured, TextWriter output, TextWriter progress)
    {
        double seconds = measured.TotalSeconds;
        double perSecond = stats.Messages / seconds;
        double megabytes = stats.Bytes / seconds / 1e6;
        double p50 = stats.Latency.PercentileMicroseconds(0.50);
        double p99 = stats.Latency.PercentileMicroseconds(0.99);
        double p999 = stats.Latency.PercentileMicroseconds(0.999);
        double max = stats.Latency.MaxMicroseconds;
        string mode = options.Mode.ToString().ToLowerInvariant();
        TextWriter human = options.Tsv ? progress : output;
        human.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode}: {options.Connections} connections x {options.InFlight} in flight, {seconds:0.0} s"));
        if (options.Mode != BenchMode.Idle)
        {
            human.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stats.Messages:N0} replies, {perSecond:N0}/s, {megabytes:N1} MB/s received"));
            human.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  latency: p50 {p50:N0} us, p99 {p99:N0} us, p99.9 {p999:N0} us, max {max:N0} us"));
            human.WriteLine($"  mismatches: {stats.Mismatches}, errors: {stats.Errors}");
        }

        if (options.Tsv)
        {
            output.WriteLine(string.Join('\t', mode, options.Connections, options.InFlight, stats.Messages,
                F(seconds), F(perSecond), F(megabytes), F(p50), F(p99), F(p999), stats.Mismatches, stats.Errors, F(max)));
        }

        bool complete = options.Mode == BenchMode.Idle || stats.Messages > 0;
        return complete && stats.Errors == 0 && stats.Mismatches == 0 ? 0 : 1;
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>The bytes sent and the reply expected for each message.</summary>
    private sealed record Message(byte[] Batch, int Length, byte[]? Expected)
    {
        public static Message For(BenchOptions options)
        {
            byte[] one = options.Payload is { } payload
                ? Encoding.UTF8.GetBytes(payload + "\r\n")
                : [.. Enumerable.Range(0, Math.Max(1, options.Size - 1)).Select(i => (byte)('a' + (i % 26))), (byte)'\n'];
            byte[]? expected = options.Expect switch
            {
                Expectation.Upper => [.. one.Select(b => b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b)],
                Expectation.Same => one,
                _ => null,
            };

            // What one write sends: as many messages as may be in flight, or a stream chunk of them.
            int repeats = options.Mode == BenchMode.Stream ? Math.Max(1, options.Chunk / one.Length) : options.InFlight;
            byte[] batch = new byte[one.Length * repeats];
            for (int i = 0; i < repeats; i++)
            {
                one.CopyTo(batch, i * one.Length);
            }

            return new Message(batch, one.Length, expected);
        }
    }
}

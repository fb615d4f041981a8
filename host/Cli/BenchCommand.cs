using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Bench;
using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Cli;

/// <summary><c>bench HOST:PORT</c>: drives any line-based echo server and reports its speed.</summary>
internal static class BenchCommand
{
    private const string Description = """
        Drive a line-based echo server (this one, another, Redis with --payload PING --expect none)
        and print replies per second, MB/s, latency percentiles and maximum, and mismatches. Modes:
        pingpong (one message in flight per connection), pipeline (--depth in flight), stream (bulk
        lines both ways, every byte checked), idle (hold the connections). A progress line goes to
        stderr.
        Exit codes: 0 done with no error and no mismatch, 1 errors, mismatches or cannot connect, 2 bad command line.
        """;

    // Bounds that keep every value meaningful and each write in memory.
    private const int MaxConnections = 1_000_000;
    private const int MaxDepth = 100_000;
    private const int MaxSize = 16 << 20;
    private const int MaxChunk = 64 << 20;
    private const int MaxThreads = 1024;
    private const long MaxWriteBytes = 1L << 30;
    private static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    public static Command Create()
    {
        Argument<IPEndPoint> server = CommonOptions.Server();
        Option<BenchMode?> mode = Choice("--mode", "mode", BenchMode.PingPong, "what the connections do (see above)");
        var connections = Positive("--connections", "client connections", 50, MaxConnections);
        var depth = Positive("--depth", "messages in flight per connection, in pipeline mode", 16, MaxDepth);
        var size = Positive("--size", "a message's length in bytes, its '\\n' included", 64, MaxSize);
        var payload = new Option<string?>("--payload") { Description = "send TEXT + \"\\r\\n\" as each message instead (for Redis: PING)", HelpName = "TEXT" };
        Option<Expectation?> expect = Choice("--expect", "expectation", Expectation.Upper, "what a reply must be: the message upper-cased, the same, or none (any line)");
        var chunk = Positive("--chunk", "bytes per write, in stream mode", 64 * 1024, MaxChunk);
        var threads = Positive("--threads", "client threads", 1, MaxThreads);
        var duration = Duration("--duration", "how long to measure", BenchOptions.DefaultDuration);
        var warmup = Duration("--warmup", "how long to run before measuring", BenchOptions.DefaultWarmup);
        var tsv = new Option<bool>("--tsv") { Description = "print one tab-separated result line on stdout (mode, connections, depth, messages, seconds, messages/s, MB/s, p50/p99/p99.9 us, mismatches, errors, max us); the rest goes to stderr" };
        var command = new Command("bench", Description) { server, mode, connections, depth, size, payload, expect, chunk, threads, duration, warmup, tsv };
        command.SetAction(parsed =>
        {
            var options = new BenchOptions(
                parsed.GetValue(server)!,
                parsed.GetValue(mode) ?? BenchMode.PingPong,
                parsed.GetValue(connections),
                parsed.GetValue(depth),
                parsed.GetValue(size),
                parsed.GetValue(duration) ?? BenchOptions.DefaultDuration,
                parsed.GetValue(warmup) ?? BenchOptions.DefaultWarmup,
                parsed.GetValue(expect) ?? Expectation.Upper,
                parsed.GetValue(payload),
                parsed.GetValue(chunk),
                parsed.GetValue(threads),
                parsed.GetValue(tsv));
            if ((long)options.Size * options.InFlight > MaxWriteBytes)
            {
                Console.Error.WriteLine($"error: --size {options.Size} x --depth {options.Depth} is more than {MaxWriteBytes >> 30} GiB in one write; lower either");
                return ExitCodes.BadCommandLine;
            }

            try
            {
                return BenchRunner.Run(options, Console.Out, Console.Error);
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"error: {options.Server}: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static Option<T?> Choice<T>(string name, string noun, T defaultValue, string description)
        where T : struct, Enum
    {
        Option<T?> option = NamedChoice.Create(name, noun, NamedChoice.Lowercase<T>());
        option.Description = ShowingDefault(description, defaultValue.ToString().ToLowerInvariant());
        return option;
    }

    private static Option<int> Positive(string name, string description, int defaultValue, int max) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value)
                && value is >= 1 && value <= max)
            {
                return value;
            }

            result.AddError($"{name}: expected a whole number from 1 to {max}, got '{text}'");
            return default;
        },
    };

    // A default that is not a value the parser made: help shows it as the option is written.
    private static Option<TimeSpan?> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = ShowingDefault($"{description}, such as 10s or 500ms", Durations.Format(defaultValue)),
        HelpName = "DURATION",
        CustomParser = result =>
        {
            string text = result.Tokens[^1].Value;
            if (Durations.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero && value <= MaxDuration)
            {
                return value;
            }

            result.AddError($"{name}: expected a duration over 0 and up to {Durations.Format(MaxDuration)}, such as 10s or 500ms, got '{text}'");
            return null;
        },
    };

    /// <summary>Help's own <c>[default: …]</c> would show the value's .NET form (<c>00:00:10</c>, <c>PingPong</c>).</summary>
    private static string ShowingDefault(string description, string shown) => $"{description} [default: {shown}]";
}

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
        and print replies per second, MB/s, latency percentiles and mismatches. Modes: pingpong
        (one message in flight per connection), pipeline (--depth in flight), stream (bulk lines
        both ways, every byte checked), idle (hold the connections). A progress line goes to stderr.
        Exit codes: 0 done with no error and no mismatch, 1 errors, mismatches or cannot connect, 2 bad command line.
        """;

    public static Command Create()
    {
        Argument<IPEndPoint> server = CommonOptions.Server();
        var mode = new Option<BenchMode>("--mode") { Description = "pingpong, pipeline, stream or idle", DefaultValueFactory = _ => BenchMode.PingPong };
        var connections = Positive("--connections", "client connections", 50);
        var depth = Positive("--depth", "messages in flight per connection, in pipeline mode", 16);
        var size = Positive("--size", "a message's length in bytes, its '\\n' included", 64);
        var payload = new Option<string?>("--payload") { Description = "send TEXT + \"\\r\\n\" as each message instead (for Redis: PING)", HelpName = "TEXT" };
        var expect = new Option<Expectation>("--expect") { Description = "what a reply must be: upper, same, or none (any line)", DefaultValueFactory = _ => Expectation.Upper };
        var chunk = Positive("--chunk", "bytes per write, in stream mode", 64 * 1024);
        var threads = Positive("--threads", "client threads", 1);
        var duration = Duration("--duration", "how long to measure", BenchOptions.DefaultDuration);
        var warmup = Duration("--warmup", "how long to run before measuring", BenchOptions.DefaultWarmup);
        var tsv = new Option<bool>("--tsv") { Description = "print one tab-separated result line on stdout (mode, connections, depth, messages, seconds, messages/s, MB/s, p50/p99/p99.9 us, mismatches, errors); the rest goes to stderr" };
        var command = new Command("bench", Description) { server, mode, connections, depth, size, payload, expect, chunk, threads, duration, warmup, tsv };
        command.SetAction(parsed =>
        {
            var options = new BenchOptions(
                parsed.GetValue(server)!,
                parsed.GetValue(mode),
                parsed.GetValue(connections),
                parsed.GetValue(depth),
                parsed.GetValue(size),
                parsed.GetValue(duration),
                parsed.GetValue(warmup),
                parsed.GetValue(expect),
                parsed.GetValue(payload),
                parsed.GetValue(chunk),
                parsed.GetValue(threads),
                parsed.GetValue(tsv));
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

    private static Option<int> Positive(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be 1 or more");
            }
        });
        return option;
    }

    private static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue) => new(name)
    {
        Description = $"{description}, such as 10s or 500ms",
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (Durations.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: expected a duration such as 10s or 500ms, got '{text}'");
            return default;
        },
    };
}

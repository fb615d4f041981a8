using System.Globalization;
using System.Net;
using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Bench;

/// <summary>The command line of <c>pluggable-echo bench</c>.</summary>
internal static class BenchArguments
{
    public const string Usage = """
        Usage: pluggable-echo bench HOST:PORT [options]

          --mode pingpong|pipeline|stream|idle  (default pingpong)
          --connections N    client connections (default 50)
          --depth P          messages in flight per connection in pipeline mode (default 16)
          --size BYTES       message length, '\n' included (default 64)
          --payload TEXT     send TEXT + "\r\n" as the message instead (for Redis: PING)
          --expect upper|same|none  what a reply must be (default upper; none: any line)
          --chunk BYTES      bytes per write in stream mode (default 65536)
          --duration 10s     how long to measure, after --warmup 1s
          --threads T        client threads (default 1)
          --tsv              print one tab-separated result line on stdout, the rest on stderr

        Exit codes: 0 done with no error and no mismatch, 1 errors or mismatches, 2 bad command line.
        """;

    /// <exception cref="ArgumentException">An unknown option, or a bad value.</exception>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new ArgumentException("bench needs the server's HOST:PORT");
        }

        if (!ListenAddress.TryParse(args[0], out IPEndPoint server, out string error))
        {
            throw new ArgumentException(error);
        }

        var options = new BenchOptions(server);
        bool depthGiven = false;
        for (int i = 1; i < args.Count; i++)
        {
            string option = args[i];
            options = option switch
            {
                "--tsv" => options with { Tsv = true },
                "--mode" => options with { Mode = Enum<BenchMode>(option, Value(args, ref i)) },
                "--connections" => options with { Connections = Number(option, Value(args, ref i)) },
                "--depth" => options with { Depth = Number(option, Value(args, ref i)) },
                "--size" => options with { Size = Number(option, Value(args, ref i)) },
                "--chunk" => options with { Chunk = Number(option, Value(args, ref i)) },
                "--threads" => options with { Threads = Number(option, Value(args, ref i)) },
                "--payload" => options with { Payload = Value(args, ref i) },
                "--expect" => options with { Expect = Enum<Expectation>(option, Value(args, ref i)) },
                "--duration" => options with { Duration = Duration(option, Value(args, ref i)) },
                "--warmup" => options with { Warmup = Duration(option, Value(args, ref i)) },
                _ => throw new ArgumentException($"unknown option '{option}'"),
            };
            depthGiven |= option == "--depth";
        }

        return depthGiven ? options : options with { Depth = 16 };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        string option = args[i];
        return ++i < args.Count ? args[i] : throw new ArgumentException($"{option} needs a value");
    }

    private static int Number(string option, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{option} needs a positive whole number, got '{text}'");

    private static TimeSpan Duration(string option, string text) =>
        Durations.TryParse(text, out TimeSpan value) && value > TimeSpan.Zero
            ? value
            : throw new ArgumentException($"{option} needs a duration such as 10s, got '{text}'");

    private static T Enum<T>(string option, string text)
        where T : struct, Enum =>
        System.Enum.TryParse(text, ignoreCase: true, out T value) && System.Enum.IsDefined(value) && !int.TryParse(text, CultureInfo.InvariantCulture, out _)
            ? value
            : throw new ArgumentException($"{option}: unknown value '{text}' (known: {string.Join(", ", System.Enum.GetNames<T>()).ToLowerInvariant()})");
}

namespace PluggableEcho.Host;

/// <summary>The command line: <c>[--config PATH] [--listen HOST:PORT]</c>.</summary>
internal sealed record HostArguments(string ConfigPath, string? Listen, bool ShowHelp)
{
    public const string Usage = """
        Usage: pluggable-echo [--config PATH] [--listen HOST:PORT]

          --config PATH       the YAML config (default: config/pluggable-echo.yaml in the current
                              folder if there is one, else the one beside the executable)
          --listen HOST:PORT  listen here instead of the config's address (port 0: any free port)
          -h, --help          show this help

        Exit codes: 0 stopped cleanly (Ctrl+C or SIGTERM), 1 cannot start or failed, 2 bad command line.
        """;

    private static readonly string ShippedConfig = Path.Combine("config", "pluggable-echo.yaml");

    /// <summary>From a checkout that is the repository's config; from anywhere else, the deployed copy.</summary>
    public static string DefaultConfigPath =>
        File.Exists(ShippedConfig) ? ShippedConfig : Path.Combine(AppContext.BaseDirectory, ShippedConfig);

    /// <exception cref="ArgumentException">An unknown option, or one without its value.</exception>
    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new HostArguments(DefaultConfigPath, null, false);
        for (int i = 0; i < args.Count; i++)
        {
            parsed = args[i] switch
            {
                "--config" => parsed with { ConfigPath = ValueOf(args, ref i) },
                "--listen" => parsed with { Listen = ValueOf(args, ref i) },
                "-h" or "--help" => parsed with { ShowHelp = true },
                var other => throw new ArgumentException($"unknown option '{other}'"),
            };
        }

        return parsed;
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        string option = args[i];
        return ++i < args.Count && !args[i].StartsWith("--", StringComparison.Ordinal)
            ? args[i]
            : throw new ArgumentException($"{option} needs a value");
    }
}

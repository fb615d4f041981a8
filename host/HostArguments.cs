namespace PluggableEcho.Host;

/// <summary>The command line: <c>[--config PATH] [--listen HOST:PORT]</c>.</summary>
/// <param name="ConfigPath">Null: no config file, the built-in defaults.</param>
internal sealed record HostArguments(string? ConfigPath, string? Listen, bool ShowHelp)
{
    public const string Usage = """
        Usage: pluggable-echo [--config PATH] [--listen HOST:PORT]

          --config PATH       the YAML config (default: config/pluggable-echo.yaml in the current
                              folder if there is one, else the built-in defaults: 127.0.0.1:8088,
                              line framing, [uppercase], the plugins beside the executable)
          --listen HOST:PORT  listen here instead of the config's address (port 0: any free port)
          -h, --help          show this help

        Exit codes: 0 stopped cleanly (Ctrl+C or SIGTERM), 1 cannot start or failed, 2 bad command line.
        """;

    private static readonly string ShippedConfig = Path.Combine("config", "pluggable-echo.yaml");

    /// <summary>From the repository root, the shipped config; elsewhere none.</summary>
    public static string? DefaultConfigPath => File.Exists(ShippedConfig) ? ShippedConfig : null;

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

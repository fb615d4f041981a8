using System.CommandLine;
using System.Net;
using PluggableEcho.Host.Config;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>Options several commands take, made afresh for each (an option has one parent).</summary>
internal static class CommonOptions
{
    private static readonly string ShippedConfig = Path.Combine("config", "pluggable-echo.yaml");

    /// <summary>From the repository root, the shipped config; elsewhere none: the built-in defaults.</summary>
    public static string? DefaultConfigPath => File.Exists(ShippedConfig) ? ShippedConfig : null;

    public static Option<string?> Config() => new("--config")
    {
        Description = "the YAML config (default: config/pluggable-echo.yaml in the current folder if there is one, "
            + "else the built-in defaults: 127.0.0.1:8088, line framing, [uppercase], the plugins beside the executable)",
        HelpName = "PATH",
        DefaultValueFactory = _ => DefaultConfigPath,
    };

    public static Option<string?> Listen() => new("--listen")
    {
        Description = "listen here instead of the config's address (port 0: any free port)",
        HelpName = "HOST:PORT",
    };

    /// <summary>Applies to every command: set once on the root.</summary>
    public static Option<LogLevel?> LogLevel() => new("--log-level")
    {
        Description = "trace, debug, information, warning, error, critical or none (default: the config's log_level, else information)",
        HelpName = "LEVEL",
        Recursive = true,
    };

    /// <summary>The address of a server to connect to.</summary>
    public static Argument<IPEndPoint> Server() => new("HOST:PORT")
    {
        Description = "the server: an IPv4 address, localhost, or an IPv6 address in brackets, and a port",
        CustomParser = result =>
        {
            string text = result.Tokens.Single().Value;
            if (!ListenAddress.TryParse(text, out IPEndPoint endPoint, out string error))
            {
                result.AddError(error);
                return null;
            }

            if (endPoint.Port == 0)
            {
                result.AddError($"'{text}': port 0 cannot be connected to");
                return null;
            }

            return endPoint;
        },
    };
}

using System.CommandLine;
using System.CommandLine.Parsing;
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

    public static Option<string?> Config()
    {
        var option = new Option<string?>("--config")
        {
            Description = "the YAML config (default: config/pluggable-echo.yaml in the current folder if there is one, "
                + "else the built-in defaults: 127.0.0.1:8088, line framing, [uppercase], the plugins beside the executable)",
            HelpName = "PATH",
            DefaultValueFactory = _ => DefaultConfigPath,
        };
        RefuseEmpty(option, "a YAML config file, or leave --config out for the default");
        return option;
    }

    public static Option<IPEndPoint?> Listen() => new("--listen")
    {
        Description = "listen here instead of the config's address (port 0: any free port)",
        HelpName = "HOST:PORT",
        CustomParser = result => ParseAddress(result, "--listen: "),
    };

    public static Option<Framing?> Framing()
    {
        Option<Framing?> option = NamedChoice.Create("--framing", "framing", FramingNames.All);
        option.Description = "how messages are cut, instead of the config's framing; raw takes each read as a message, "
            + "for a client that sends no line ending";
        return option;
    }

    /// <summary>Applies to every command: set once on the root.</summary>
    public static Option<LogLevel?> LogLevel()
    {
        IReadOnlyList<(string Name, LogLevel Value)> levels = NamedChoice.Lowercase<LogLevel>();
        Option<LogLevel?> option = NamedChoice.Create("--log-level", "level", levels);
        option.Description = $"{NamedChoice.Listed(levels)} (default: the config's log_level, else information)";
        option.HelpName = "LEVEL";
        option.Recursive = true;
        return option;
    }

    /// <summary>The address of a server to connect to.</summary>
    public static Argument<IPEndPoint> Server() => new("HOST:PORT")
    {
        Description = "the server: an IPv4 address, localhost, or an IPv6 address in brackets, and a port",
        CustomParser = result =>
        {
            IPEndPoint? endPoint = ParseAddress(result, "");
            if (endPoint is { Port: 0 })
            {
                result.AddError($"'{result.Tokens.Single().Value}': port 0 cannot be connected to");
                return null;
            }

            return endPoint;
        },
    };

    /// <summary>An empty path (<c>--config ""</c>, a shell variable that was not set) is a mistake of
    /// the command line, not a file that cannot be read.</summary>
    /// <param name="wanted">What to give instead: <c>a YAML config file</c>.</param>
    public static void RefuseEmpty(Option<string?> option, string wanted) =>
        option.Validators.Add(result => RefuseEmpty(result, option.Name, wanted));

    /// <inheritdoc cref="RefuseEmpty(Option{string?}, string)"/>
    public static void RefuseEmpty(Argument<string> argument, string wanted) =>
        argument.Validators.Add(result => RefuseEmpty(result, argument.Name, wanted));

    private static void RefuseEmpty(SymbolResult result, string name, string wanted)
    {
        if (result.Tokens.Any(token => string.IsNullOrWhiteSpace(token.Value)))
        {
            result.AddError($"{name}: the path is empty; give {wanted}");
        }
    }

    private static IPEndPoint? ParseAddress(ArgumentResult result, string prefix)
    {
        if (ListenAddress.TryParseArgument(result.Tokens.Single().Value, out IPEndPoint endPoint, out string error))
        {
            return endPoint;
        }

        result.AddError(prefix + error);
        return null;
    }
}

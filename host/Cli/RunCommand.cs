using System.CommandLine;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Host.Cli;

/// <summary><c>run</c>, the default command: serve until Ctrl+C or SIGTERM, in the Generic Host.</summary>
internal static class RunCommand
{
    private const string Description = """
        Serve the config's pipeline until Ctrl+C or SIGTERM (a second one ends it at once); the
        default command. SIGHUP reloads the config while clients stay connected (all or nothing:
        a config with problems is logged and changes nothing; see the reload command). Under systemd
        (NOTIFY_SOCKET set) it says READY=1 once listening and STOPPING=1 as the stop begins.
        Exit codes: 0 stopped cleanly, 1 cannot start or failed, 2 bad command line, 3 a loop
        was stuck in a step or a step ran out of memory (limits.on_stuck: exit), or a stuck loop
        did not stop within limits.shutdown_timeout.
        """;

    public static Command Create(Option<LogLevel?> logLevel)
    {
        var command = new Command("run", Description);
        AddTo(command, logLevel);
        return command;
    }

    /// <summary>Gives <paramref name="command"/> run's options and action: the root has them too.</summary>
    public static void AddTo(Command command, Option<LogLevel?> logLevel)
    {
        Option<string?> config = CommonOptions.Config();
        Option<IPEndPoint?> listen = CommonOptions.Listen();
        Option<Framing?> framing = CommonOptions.Framing();
        command.Add(config);
        command.Add(listen);
        command.Add(framing);
        command.SetAction((parsed, _) => RunAsync(
            parsed.GetValue(config), new CommandLineOverrides(parsed.GetValue(listen), parsed.GetValue(framing)), parsed.GetValue(logLevel)));
    }

    private static async Task<int> RunAsync(string? configPath, CommandLineOverrides overrides, LogLevel? logLevel)
    {
        var source = new ConfigSource(configPath, EchoHost.BundledPluginFolder, overrides);
        ServerSettings settings;
        try
        {
            settings = source.Load();
        }
        catch (StartupException e)
        {
            CliConsole.PrintProblems(e.Problems);
            return ExitCodes.Failed;
        }

        // Empty: no appsettings.json, environment or command-line configuration; the YAML is the config.
        HostApplicationBuilder builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        CliConsole.ConfigureLogging(builder.Logging, logLevel ?? settings.LogLevel ?? CliConsole.DefaultLogLevel, toStandardError: false, settings.LogFormat);
        builder.Services.AddSingleton<IHostLifetime, SignalLifetime>();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(source);
        builder.Services.AddSingleton<EchoHostService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EchoHostService>());
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<SystemdReadiness>(); // After the server: it tells when that is up.

        using IHost host = builder.Build();
        EchoHostService server = host.Services.GetRequiredService<EchoHostService>();
        await host.RunAsync().ConfigureAwait(false);
        return server.ExitCode;
    }
}

using System.CommandLine;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Cli;

/// <summary><c>plugins [--verify]</c>: what each plugin folder offers, and what will break.</summary>
internal static class PluginsCommand
{
    private const string Description = """
        List each plugin folder: assembly, version, the transforms it offers and their options.
        --verify also examines each plugin on its own and reports what will break at run time.
        Exit codes: 0 every plugin loads (and passes --verify), 1 a plugin has a problem, 2 bad command line.
        """;

    public static Command Create(Option<LogLevel?> logLevel)
    {
        Option<string?> config = CommonOptions.Config();
        config.Description = "take the plugins folder from this config's plugins: key (default: as for run)";
        var folder = new Option<string?>("--folder")
        {
            Description = "the plugins folder to look at, instead of the config's",
            HelpName = "DIR",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "load each plugin alone and report what will break at run time: a contract of another major version, "
                + "a private copy of an assembly the host shares, a target framework the host cannot load, missing dependencies, "
                + "types that look like the contract's but are not the host's",
        };
        var command = new Command("plugins", Description) { config, folder, verify };
        command.SetAction(parsed =>
        {
            using ILoggerFactory logging = CliConsole.CreateLoggerFactory(parsed.GetValue(logLevel) ?? CliConsole.DefaultLogLevel);
            return Run(parsed.GetValue(folder), parsed.GetValue(config), parsed.GetValue(verify), logging);
        });
        return command;
    }

    private static int Run(string? folder, string? configPath, bool verify, ILoggerFactory logging)
    {
        try
        {
            folder ??= ConfigLoader.Load(configPath, EchoHost.BundledPluginFolder).PluginFolder;
        }
        catch (StartupException e)
        {
            CliConsole.PrintProblems(e.Problems);
            return ExitCodes.Failed;
        }

        if (!Directory.Exists(folder))
        {
            CliConsole.PrintProblems([$"the plugins folder '{folder}' does not exist"]);
            return ExitCodes.Failed;
        }

        folder = Path.GetFullPath(folder); // The plugin loader takes absolute paths only.
        Console.WriteLine($"plugins in {folder}");
        var offered = new Dictionary<string, TransformRegistration>(StringComparer.OrdinalIgnoreCase);
        int count = 0;
        int broken = 0;
        foreach (string pluginFolder in LoadedPlugin.FoldersIn(folder))
        {
            count++;
            bool ok = List(pluginFolder, offered, logging, showLoadError: !verify); // The diagnosis says it too.
            if (verify)
            {
                PluginDiagnosis diagnosis = PluginDoctor.Examine(pluginFolder);
                diagnosis.Errors.ToList().ForEach(e => Console.WriteLine($"  error: {e}"));
                diagnosis.Warnings.ToList().ForEach(w => Console.WriteLine($"  warning: {w}"));
                ok &= diagnosis.Errors.Count == 0;
            }

            broken += ok ? 0 : 1;
        }

        Console.WriteLine($"{count} plugins: {count - broken} ok, {broken} with errors");
        return broken == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <returns>Whether it loaded and offers only names no other plugin offers.</returns>
    private static bool List(string pluginFolder, Dictionary<string, TransformRegistration> offered, ILoggerFactory logging, bool showLoadError)
    {
        LoadedPlugin plugin;
        try
        {
            plugin = LoadedPlugin.Load(pluginFolder, logging);
        }
        catch (PluginLoadException e)
        {
            Console.WriteLine(Path.GetFileName(pluginFolder));
            if (showLoadError)
            {
                Console.WriteLine($"  error: {e.Message}");
            }

            return false;
        }

        using (plugin)
        {
            Console.WriteLine($"{plugin.Assembly.Name} {plugin.Assembly.Version} {plugin.AssemblyPath}");
            foreach (TransformRegistration transform in plugin.Transforms)
            {
                Console.WriteLine(transform.OptionsType is null ? $"  {transform.Name} (no options)" : $"  {transform.Name}");
                foreach (string option in transform.OptionsType is { } type ? OptionsDescription.Describe(type) : [])
                {
                    Console.WriteLine($"    {option}");
                }
            }

            List<string> duplicates = [.. PluginSet.AddTransforms(plugin, offered)];
            duplicates.ForEach(d => Console.WriteLine($"  error: {d}"));
            return duplicates.Count == 0;
        }
    }
}

using System.CommandLine;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Cli;

/// <summary><c>plugins [--verify]</c>: what each plugin offers, what will break, and what is not loaded.</summary>
internal static class PluginsCommand
{
    private const string Description = """
        List each plugin (a folder <Name>/<Name>.dll, or a loose DLL): assembly, version, the
        transforms it offers and their options; then what is not loaded, and why. --verify also
        examines each plugin on its own and reports what will break at run time.
        Exit codes: 0 every plugin loads (and passes --verify) and nothing is left out, 1 a plugin
        has a problem or something in the folder is not loaded, 2 bad command line.
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
        CommonOptions.RefuseEmpty(folder, "a plugins folder, or leave --folder out for the config's");
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

        // Relative to the current folder; the plugin loader takes absolute paths only.
        folder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        if (!Directory.Exists(folder))
        {
            CliConsole.PrintProblems([$"the plugins folder '{folder}' does not exist"]);
            return ExitCodes.Failed;
        }

        folder = Path.GetFullPath(folder); // The plugin loader takes absolute paths only.
        Console.WriteLine($"plugins in {folder}");
        PluginLayout layout;
        try
        {
            layout = PluginLayout.Of(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CliConsole.PrintProblems([$"the plugins folder '{folder}' cannot be read: {e.Message}"]);
            return ExitCodes.Failed;
        }

        var offered = new Dictionary<string, TransformRegistration>(StringComparer.OrdinalIgnoreCase);
        int broken = 0;
        foreach (string assembly in layout.Plugins)
        {
            bool ok = List(assembly, folder, offered, logging, showLoadError: !verify); // The diagnosis says it too.
            if (verify)
            {
                PluginDiagnosis diagnosis = PluginDoctor.Examine(assembly);
                diagnosis.AllErrors.ToList().ForEach(e => Console.WriteLine($"  error: {e}"));
                diagnosis.Warnings.ToList().ForEach(w => Console.WriteLine($"  warning: {w}"));
                ok &= !diagnosis.AllErrors.Any();
            }

            broken += ok ? 0 : 1;
        }

        foreach (NotLoaded skipped in layout.Skipped)
        {
            Console.WriteLine(Path.GetRelativePath(folder, skipped.Path));
            Console.WriteLine($"  warning: {skipped}");
        }

        layout.Dependencies.ToList().ForEach(d => Console.WriteLine($"{Path.GetRelativePath(folder, d)} (a dependency of the plugins beside it)"));
        string notLoaded = layout.Skipped.Count > 0 ? $"; {layout.Skipped.Count} more not loaded" : "";
        Console.WriteLine($"{layout.Plugins.Count} plugins: {layout.Plugins.Count - broken} ok, {broken} with errors{notLoaded}");
        return broken == 0 && layout.Skipped.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <returns>Whether it loaded and offers only names no other plugin offers.</returns>
    private static bool List(string assembly, string folder, Dictionary<string, TransformRegistration> offered, ILoggerFactory logging, bool showLoadError)
    {
        if (!PluginSet.TryLoad(assembly, logging, out LoadedPlugin? plugin, out NotLoaded? whyNot))
        {
            Console.WriteLine(Path.GetRelativePath(folder, assembly));
            if (showLoadError)
            {
                Console.WriteLine($"  error: {whyNot}");
            }

            return false;
        }

        using (plugin)
        {
            Console.WriteLine($"{plugin.Assembly.Name} {plugin.Assembly.Version} {plugin.AssemblyPath}");
            foreach (TransformRegistration transform in plugin.Transforms)
            {
                Console.WriteLine(transform.OptionsType is null ? $"  {transform.Name} (no options)" : $"  {transform.Name}");
                foreach (string option in transform.OptionsType is { } type ? OptionsDescription.Describe(type, Durations.Format) : [])
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

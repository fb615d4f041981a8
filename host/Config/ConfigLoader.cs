using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Pipeline;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Reads the YAML config into <see cref="ServerSettings"/>. It walks the document node by node
/// rather than deserialising it, so that every mistake can name its own line and column, and
/// it reports all the mistakes it finds, not just the first.
/// </summary>
internal static class ConfigLoader
{
    /// <summary>What a config file with nothing in it would give.</summary>
    public const string NoFile = "(no config file)";

    /// <param name="path">The config file, shown in errors as given; null for the built-in defaults.</param>
    /// <param name="defaultPluginFolder">Used when the file has no <c>plugins</c> key.</param>
    /// <param name="overrides">From the command line; win over the file's keys.</param>
    /// <exception cref="StartupException">Every mistake in the file, each at its line and column.</exception>
    public static ServerSettings Load(string? path, string defaultPluginFolder, CommandLineOverrides? overrides = null)
    {
        string file = path ?? NoFile;
        var problems = new ConfigProblems(file);
        YamlMappingNode root = path is null ? new YamlMappingNode() : YamlFile.ReadRoot(path, problems);
        string configFolder = path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Read(root, configFolder, defaultPluginFolder, overrides ?? CommandLineOverrides.None, problems);
    }

    /// <summary>A config written inside another YAML file (a test case, say): problems name that
    /// file's lines, and relative paths are relative to it.</summary>
    public static ServerSettings Load(YamlMappingNode root, string file, string defaultPluginFolder) =>
        Read(root, Path.GetDirectoryName(Path.GetFullPath(file))!, defaultPluginFolder, CommandLineOverrides.None, new ConfigProblems(file));

    private static ServerSettings Read(
        YamlMappingNode root, string configFolder, string defaultPluginFolder, CommandLineOverrides overrides, ConfigProblems problems)
    {
        string file = problems.File;
        var defaults = new ListenerDraft();
        string? pluginFolder = null;
        int loops = AutoLoops.Count;
        TimeSpan spin = TimeSpan.Zero;
        PollerKind poller = PollerKind.Auto;
        LogLevel? logLevel = null;
        LogFormat logFormat = LogFormat.Text;
        (AdminSection Section, YamlNode Node)? admin = null;
        ReloadSettings? reload = null;
        YamlNode? listeners = null;

        foreach ((YamlNode keyNode, YamlNode value) in root.Children)
        {
            string key = YamlValues.Key(keyNode);
            if (defaults.TryRead(key, keyNode, value, "", problems))
            {
                continue;
            }

            switch (key)
            {
                case "listeners":
                    listeners = value; // Read once the defaults are known, wherever the file puts them.
                    break;
                case "plugins" when YamlValues.Scalar(value, "plugins", "a folder path", problems) is { } text:
                    pluginFolder = Path.GetFullPath(Path.Combine(configFolder, text));
                    if (!Directory.Exists(pluginFolder))
                    {
                        problems.Add(value.Start, $"plugins: the folder '{pluginFolder}' does not exist");
                    }

                    break;
                case "log_level":
                    logLevel = EnumValues.Read<LogLevel>(value, "log_level", "level", problems);
                    break;
                case "loops" when YamlValues.Scalar(value, "loops", "auto or a number of loops", problems) is { } text:
                    loops = ParseLoops(text, value, problems);
                    break;
                case "spin" when YamlValues.Scalar(value, "spin", "a duration such as 50us", problems) is { } text:
                    if (!Durations.TryParse(text, out spin) || spin > TimeSpan.FromMilliseconds(100))
                    {
                        problems.Add(value.Start, $"spin: expected a duration from 0 to 100ms, such as 50us, got '{text}'");
                    }

                    break;
                case "poller" when YamlValues.Scalar(value, "poller", "auto, epoll or select", problems) is { } text:
                    poller = ParsePoller(text, value, problems);
                    break;
                case "admin":
                    if (OptionsBinder.Bind(typeof(AdminSection), value, value.Start, "admin", problems) is AdminSection section)
                    {
                        admin = (section, value);
                    }

                    break;
                case "reload":
                    reload = (OptionsBinder.Bind(typeof(ReloadSection), value, value.Start, "reload", problems) as ReloadSection)?.ToSettings();
                    break;
                case "log_format":
                    logFormat = EnumValues.Read<LogFormat>(value, "log_format", "format", problems) ?? logFormat;
                    break;
                case var known when TopLevelKeys.Contains(known):
                    break; // Scalar() has reported it.
                case var unknown:
                    problems.Add(keyNode.Start, $"unknown key '{unknown}' (known keys: {TopLevelKeys.Listed})");
                    break;
            }
        }

        List<ListenerSettings> all = listeners is null
            ? [defaults.Finish(ListenersReader.NameOf(0), ServerSettings.DefaultListen, problems)]
            : ListenersReader.Read(listeners, defaults, problems);
        ListenersReader.Override(all, overrides, problems);

        if (pluginFolder is null && !Directory.Exists(defaultPluginFolder))
        {
            problems.AddElsewhere($"{file}: the default plugin folder '{defaultPluginFolder}' does not exist; name one with plugins:");
        }

        AdminOptions? adminOptions = admin?.Section.ToOptions(all, admin.Value.Node.Start, problems);
        problems.ThrowIfAny();
        return new ServerSettings(file, configFolder, all, pluginFolder ?? defaultPluginFolder, loops, poller,
            defaults.Limits.ShutdownTimeout, logLevel, spin, adminOptions, logFormat, defaults.Limits.StepTimeout, defaults.Limits.OnStuck,
            defaults.Limits.MaxBufferedBytes, reload);
    }

    private static int ParseLoops(string text, YamlNode node, ConfigProblems problems)
    {
        if (text == "auto")
        {
            return AutoLoops.Count;
        }

        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int loops) && loops is >= 1 and <= 1024)
        {
            return loops;
        }

        problems.Add(node.Start, $"loops: expected auto (one per core, one on 2 cores or fewer) or a number from 1 to 1024, got '{text}'");
        return 1;
    }

    private static PollerKind ParsePoller(string text, YamlNode node, ConfigProblems problems)
    {
        switch (text)
        {
            case "auto":
                return PollerKind.Auto;
            case "epoll" when !EpollPoller.IsSupported:
                problems.Add(node.Start, "poller: epoll needs Linux; use auto or select here");
                return PollerKind.Auto;
            case "epoll":
                return PollerKind.Epoll;
            case "select":
                return PollerKind.Select;
            default:
                problems.Add(node.Start, $"poller: unknown poller '{text}' (known: auto, epoll, select)");
                return PollerKind.Auto;
        }
    }
}

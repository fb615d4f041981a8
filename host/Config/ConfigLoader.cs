using System.Diagnostics;
using System.Net;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Pipeline;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Reads the YAML config into <see cref="ServerSettings"/>. It walks the document node by node
/// rather than deserialising it, so that every mistake can name its own line and column, and
/// it reports all the mistakes it finds, not just the first.
/// </summary>
internal static class ConfigLoader
{
    private static readonly string[] TopLevelKeys = ["listen", "framing", "plugins", "pipeline", "on_error", "log_level", "loops", "poller", "spin", "limits"];
    private static readonly string[] StepKeys = ["type", "options", "on_error"];
    private static readonly string OnErrorChoices = string.Join(", ", Enum.GetNames<ErrorPolicy>().Select(n => n.ToLowerInvariant()));
    private static readonly string LogLevelChoices = string.Join(", ", Enum.GetNames<LogLevel>().Select(n => n.ToLowerInvariant()));

    /// <summary>What a config file with nothing in it would give.</summary>
    public const string NoFile = "(no config file)";

    /// <param name="path">The config file, shown in errors as given; null for the built-in defaults.</param>
    /// <param name="listenOverride">From the command line; wins over the file's <c>listen</c>.</param>
    /// <param name="defaultPluginFolder">Used when the file has no <c>plugins</c> key.</param>
    public static ServerSettings Load(string? path, string defaultPluginFolder, string? listenOverride = null)
    {
        string file = path ?? NoFile;
        var problems = new ConfigProblems(file);
        YamlMappingNode root = path is null ? new YamlMappingNode() : ReadRoot(path, problems);
        string configFolder = path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Read(root, configFolder, defaultPluginFolder, listenOverride, problems);
    }

    /// <summary>A config written inside another YAML file (a test case, say): problems name that
    /// file's lines, and relative paths are relative to it.</summary>
    public static ServerSettings Load(YamlMappingNode root, string file, string defaultPluginFolder) =>
        Read(root, Path.GetDirectoryName(Path.GetFullPath(file))!, defaultPluginFolder, null, new ConfigProblems(file));

    /// <summary>Whether a key belongs to the config (and not to whatever holds it).</summary>
    public static bool IsConfigKey(string key) => TopLevelKeys.Contains(key);

    private static ServerSettings Read(
        YamlMappingNode root, string configFolder, string defaultPluginFolder, string? listenOverride, ConfigProblems problems)
    {
        string file = problems.File;
        IPEndPoint listen = ServerSettings.DefaultListen;
        Framing framing = Framing.Line;
        string? pluginFolder = null;
        IReadOnlyList<StepSettings> pipeline = [StepSettings.Default];
        int loops = Environment.ProcessorCount;
        TimeSpan spin = TimeSpan.Zero;
        PollerKind poller = PollerKind.Auto;
        var limits = new LimitsSection();
        ErrorPolicy onError = ErrorPolicy.Reply;
        LogLevel? logLevel = null;

        foreach ((YamlNode keyNode, YamlNode value) in root.Children)
        {
            switch (Key(keyNode))
            {
                case "listen" when Scalar(value, "listen", "an address such as 127.0.0.1:8088", problems) is { } text:
                    if (ListenAddress.TryParse(text, out IPEndPoint parsed, out string error))
                    {
                        listen = parsed;
                    }
                    else
                    {
                        problems.Add(value.Start, $"listen: {error}");
                    }

                    break;
                case "framing" when Scalar(value, "framing", "line, raw or length-prefixed", problems) is { } text:
                    framing = ParseFraming(text, value, problems);
                    break;
                case "plugins" when Scalar(value, "plugins", "a folder path", problems) is { } text:
                    pluginFolder = Path.GetFullPath(Path.Combine(configFolder, text));
                    if (!Directory.Exists(pluginFolder))
                    {
                        problems.Add(value.Start, $"plugins: the folder '{pluginFolder}' does not exist");
                    }

                    break;
                case "pipeline":
                    pipeline = ReadPipeline(value, configFolder, problems);
                    break;
                case "on_error" when Scalar(value, "on_error", "one of " + OnErrorChoices, problems) is { } text:
                    onError = ParseErrorPolicy(text, value, problems) ?? onError;
                    break;
                case "log_level" when Scalar(value, "log_level", "one of " + LogLevelChoices, problems) is { } text:
                    logLevel = ParseLogLevel(text, value, problems);
                    break;
                case "loops" when Scalar(value, "loops", "auto or a number of loops", problems) is { } text:
                    loops = ParseLoops(text, value, problems);
                    break;
                case "spin" when Scalar(value, "spin", "a duration such as 50us", problems) is { } text:
                    if (!Durations.TryParse(text, out spin) || spin > TimeSpan.FromMilliseconds(100))
                    {
                        problems.Add(value.Start, $"spin: expected a duration from 0 to 100ms, such as 50us, got '{text}'");
                    }

                    break;
                case "poller" when Scalar(value, "poller", "auto, epoll or select", problems) is { } text:
                    poller = ParsePoller(text, value, problems);
                    break;
                case "limits":
                    limits = OptionsBinder.Bind(typeof(LimitsSection), value, value.Start, "limits", problems) as LimitsSection ?? limits;
                    break;
                case "listen" or "framing" or "plugins" or "on_error" or "log_level" or "loops" or "poller" or "spin":
                    break; // Scalar() has reported it.
                case var unknown:
                    problems.Add(keyNode.Start, $"unknown key '{unknown}' (known keys: {string.Join(", ", TopLevelKeys)})");
                    break;
            }
        }

        if (listenOverride is not null)
        {
            if (ListenAddress.TryParse(listenOverride, out IPEndPoint parsed, out string error))
            {
                listen = parsed;
            }
            else
            {
                problems.AddElsewhere($"--listen: {error}");
            }
        }

        if (pluginFolder is null && !Directory.Exists(defaultPluginFolder))
        {
            problems.AddElsewhere($"{file}: the default plugin folder '{defaultPluginFolder}' does not exist; name one with plugins:");
        }

        problems.ThrowIfAny();
        return new ServerSettings(file, listen, framing, pluginFolder ?? defaultPluginFolder, pipeline, loops, poller, limits.ToConnectionLimits(), limits.ShutdownTimeout, onError, logLevel, spin);
    }

    /// <summary>Reads a YAML file whose document is a mapping, refusing aliases.</summary>
    /// <param name="expected">What the document should be, for the message when it is not a mapping.</param>
    internal static YamlMappingNode ReadRoot(string path, ConfigProblems problems, string? expected = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{path}: cannot read the {(expected is null ? "config " : "")}file: {e.Message}");
        }

        RefuseAliases(text, problems);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, YamlErrors.Describe(e)); // Duplicate keys, say.
            problems.ThrowIfAny();
        }

        switch (stream.Documents.Count)
        {
            case 0:
                return new YamlMappingNode();
            case > 1:
                problems.Add(stream.Documents[1].RootNode.Start, "the config must be a single YAML document");
                problems.ThrowIfAny();
                break;
        }

        YamlNode root = stream.Documents[0].RootNode;
        if (YamlValues.IsEmpty(root))
        {
            return new YamlMappingNode();
        }

        if (root is not YamlMappingNode mapping)
        {
            problems.Add(root.Start, expected is null
                ? $"the config must be a mapping of keys ({string.Join(", ", TopLevelKeys)}) to values"
                : $"the file must be {expected}");
            problems.ThrowIfAny();
            throw new UnreachableException();
        }

        return mapping;
    }

    /// <summary>
    /// Reads the text once as a stream of events, to report a syntax error at its place, and
    /// to refuse aliases (<c>*name</c>): an alias would report its anchor's position instead of
    /// its own, and one that contains itself sends the YAML library into endless recursion.
    /// </summary>
    private static void RefuseAliases(string text, ConfigProblems problems)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is AnchorAlias alias)
                {
                    problems.Add(alias.Start, $"aliases such as *{alias.Value} are not supported here; write the value out");
                }
            }
        }
        catch (YamlException e)
        {
            problems.Add(e.Start, YamlErrors.Describe(e));
        }
        catch (InvalidOperationException)
        {
            // The YAML library trips over some malformed input (an unclosed [ list followed by a
            // key, say) without saying where: the last thing it read is the best place to show.
            problems.Add(parser.Current?.End ?? Mark.Empty, "the YAML cannot be read past this point (an unclosed [ or {?)");
        }

        problems.ThrowIfAny();
    }

    private static Framing ParseFraming(string text, YamlNode node, ConfigProblems problems)
    {
        switch (text)
        {
            case "line":
                return Framing.Line;
            case "raw":
                return Framing.Raw;
            case "length-prefixed":
                return Framing.LengthPrefixed;
            default:
                problems.Add(node.Start, $"framing: unknown framing '{text}' (known: line, raw, length-prefixed)");
                return Framing.Line;
        }
    }

    private static int ParseLoops(string text, YamlNode node, ConfigProblems problems)
    {
        if (text == "auto")
        {
            return Environment.ProcessorCount;
        }

        if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int loops) && loops is >= 1 and <= 1024)
        {
            return loops;
        }

        problems.Add(node.Start, $"loops: expected auto (one per core) or a number from 1 to 1024, got '{text}'");
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

    private static ErrorPolicy? ParseErrorPolicy(string text, YamlNode node, ConfigProblems problems)
    {
        if (Enum.TryParse(text, ignoreCase: true, out ErrorPolicy policy) && Enum.IsDefined(policy) && !char.IsDigit(text[0]))
        {
            return policy;
        }

        problems.Add(node.Start, $"on_error: unknown policy '{text}' (known: {OnErrorChoices})");
        return null;
    }

    private static ErrorPolicy? ReadStepOnError(YamlNode value, ConfigProblems problems) =>
        Scalar(value, "on_error", "one of " + OnErrorChoices, problems) is { } text ? ParseErrorPolicy(text, value, problems) : null;

    private static ErrorPolicy? TakeOnError(YamlMappingNode step, ConfigProblems problems)
    {
        if (!step.Children.TryGetValue("on_error", out YamlNode? value))
        {
            return null;
        }

        step.Children.Remove("on_error");
        return ReadStepOnError(value, problems);
    }

    private static LogLevel? ParseLogLevel(string text, YamlNode node, ConfigProblems problems)
    {
        if (Enum.TryParse(text, ignoreCase: true, out LogLevel level) && Enum.IsDefined(level) && !char.IsDigit(text[0]))
        {
            return level;
        }

        problems.Add(node.Start, $"log_level: unknown level '{text}' (known: {LogLevelChoices})");
        return null;
    }

    private static List<StepSettings> ReadPipeline(YamlNode node, string configFolder, ConfigProblems problems)
    {
        var steps = new List<StepSettings>();
        if (YamlValues.IsEmpty(node))
        {
            return steps; // `pipeline:` with nothing after it: echo as is.
        }

        if (node is not YamlSequenceNode sequence)
        {
            problems.Add(node.Start, "pipeline: expected a list of steps, such as [uppercase] or one '- name' per line");
            return steps;
        }

        foreach (YamlNode stepNode in sequence)
        {
            if (ReadStep(stepNode, configFolder, problems) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static StepSettings? ReadStep(YamlNode node, string configFolder, ConfigProblems problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } name }:
                return new StepSettings(name, null, node.Start);
            case YamlMappingNode mapping when ScriptSteps.IsScriptStep(mapping):
                ErrorPolicy? scriptOnError = TakeOnError(mapping, problems); // Not one of the script's options.
                return ScriptSteps.Read(mapping, configFolder) with { OnError = scriptOnError };
            case YamlMappingNode mapping:
                string? type = null;
                YamlNode? options = null;
                ErrorPolicy? onError = null;
                foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
                {
                    switch (Key(keyNode))
                    {
                        case "type":
                            type = Scalar(value, "type", "a transform name", problems);
                            break;
                        case "options":
                            options = value;
                            break;
                        case "on_error":
                            onError = ReadStepOnError(value, problems);
                            break;
                        case var unknown:
                            problems.Add(keyNode.Start, $"unknown step key '{unknown}' (known: {string.Join(", ", StepKeys)})");
                            break;
                    }
                }

                if (type is null)
                {
                    problems.Add(node.Start, "this step has no 'type:' naming its transform");
                    return null;
                }

                return new StepSettings(type, options, node.Start, onError);
            default:
                problems.Add(node.Start, "a step is a transform name ('- rot13'), a mapping ('- type: rot13' with 'options:') or a script ('- script: ...')");
                return null;
        }
    }

    private static string Key(YamlNode key) => key is YamlScalarNode { Value: { } text } ? text : key.ToString();

    private static string? Scalar(YamlNode node, string key, string expected, ConfigProblems problems)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } text })
        {
            return text;
        }

        problems.Add(node.Start, $"{key}: expected {expected}");
        return null;
    }
}

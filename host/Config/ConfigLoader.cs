using System.Diagnostics;
using System.Net;
using PluggableEcho.Host.Networking;
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
    private static readonly string[] TopLevelKeys = ["listen", "framing", "plugins", "pipeline", "loops", "poller", "limits"];
    private static readonly string[] StepKeys = ["type", "options"];

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

        IPEndPoint listen = ServerSettings.DefaultListen;
        Framing framing = Framing.Line;
        string? pluginFolder = null;
        IReadOnlyList<StepSettings> pipeline = [StepSettings.Default];
        int loops = Environment.ProcessorCount;
        PollerKind poller = PollerKind.Auto;
        var limits = new ServerLimits();
        string configFolder = path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;

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
                    pipeline = ReadPipeline(value, problems);
                    break;
                case "loops" when Scalar(value, "loops", "auto or a number of loops", problems) is { } text:
                    loops = ParseLoops(text, value, problems);
                    break;
                case "poller" when Scalar(value, "poller", "auto, epoll or select", problems) is { } text:
                    poller = ParsePoller(text, value, problems);
                    break;
                case "limits":
                    limits = OptionsBinder.Bind(typeof(ServerLimits), value, value.Start, "limits", problems) as ServerLimits ?? limits;
                    break;
                case "listen" or "framing" or "plugins" or "loops" or "poller":
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
        return new ServerSettings(file, listen, framing, pluginFolder ?? defaultPluginFolder, pipeline, loops, poller, limits);
    }

    private static YamlMappingNode ReadRoot(string path, ConfigProblems problems)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{path}: cannot read the config file: {e.Message}");
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
            problems.Add(root.Start, "the config must be a mapping of keys (listen, framing, plugins, pipeline) to values");
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

    private static List<StepSettings> ReadPipeline(YamlNode node, ConfigProblems problems)
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
            if (ReadStep(stepNode, problems) is { } step)
            {
                steps.Add(step);
            }
        }

        return steps;
    }

    private static StepSettings? ReadStep(YamlNode node, ConfigProblems problems)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { Length: > 0 } name }:
                return new StepSettings(name, null, node.Start);
            case YamlMappingNode mapping:
                string? type = null;
                YamlNode? options = null;
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

                return new StepSettings(type, options, node.Start);
            default:
                problems.Add(node.Start, "a step is a transform name ('- rot13') or a mapping ('- type: rot13' with 'options:')");
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

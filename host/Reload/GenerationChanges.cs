using PluggableEcho.Host.Config;
using PluggableEcho.Host.Plugins;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Reload;

/// <summary>What a new generation changes against the running one, one line each, for the log
/// and for whoever asked for the reload: steps, plugins and their versions, listeners.</summary>
internal static class GenerationChanges
{
    /// <param name="listenerChanges">What the server found about the listeners: added, moved, removed.</param>
    public static IReadOnlyList<string> Between(Generation running, Generation next, IEnumerable<string> listenerChanges)
    {
        var changes = new List<string>();
        // Listeners are named by their place in the config: the same name is the same place. One
        // added or removed is the server's line to say.
        for (int i = 0; i < Math.Min(running.Settings.Listeners.Count, next.Settings.Listeners.Count); i++)
        {
            ListenerSettings before = running.Settings.Listeners[i];
            ListenerSettings listener = next.Settings.Listeners[i];
            string[] stepsBefore = [.. running.Pipelines[i].StepNames];
            string[] stepsNow = [.. next.Pipelines[i].StepNames];
            if (!stepsBefore.SequenceEqual(stepsNow, StringComparer.OrdinalIgnoreCase))
            {
                changes.Add($"{listener.Name}: pipeline [{string.Join(", ", stepsBefore)}] -> [{string.Join(", ", stepsNow)}]");
            }
            else if (!before.Pipeline.Select(Written).SequenceEqual(listener.Pipeline.Select(Written)))
            {
                changes.Add($"{listener.Name}: pipeline [{string.Join(", ", stepsNow)}], its steps' options changed");
            }

            if (before.Framing != listener.Framing)
            {
                changes.Add($"{listener.Name}: framing {FramingNames.Of(before.Framing)} -> {FramingNames.Of(listener.Framing)}");
            }

            if (before.Limits != listener.Limits)
            {
                changes.Add($"{listener.Name}: limits changed");
            }

            if (before.ProxyProtocol != listener.ProxyProtocol)
            {
                changes.Add($"{listener.Name}: proxy_protocol changed");
            }
        }

        changes.AddRange(listenerChanges);
        changes.AddRange(PluginChanges(running, next));
        return changes;
    }

    private static IEnumerable<string> PluginChanges(Generation running, Generation next)
    {
        Dictionary<string, LoadedPlugin> before = running.Plugins.Plugins.ToDictionary(p => p.AssemblyPath);
        foreach (LoadedPlugin plugin in next.Plugins.Plugins)
        {
            if (!before.Remove(plugin.AssemblyPath, out LoadedPlugin? old))
            {
                yield return $"plugin {Describe(plugin)} loaded";
            }
            else if (old.Assembly.Version != plugin.Assembly.Version)
            {
                yield return $"plugin {NameOf(plugin)} {old.Assembly.Version} -> {plugin.Assembly.Version} ({plugin.AssemblyPath})";
            }
            else if (!ReferenceEquals(old, plugin))
            {
                yield return $"plugin {Describe(plugin)} loaded again: its files changed";
            }
        }

        foreach (LoadedPlugin gone in before.Values)
        {
            yield return $"plugin {Describe(gone)} no longer loaded";
        }
    }

    private static string NameOf(LoadedPlugin plugin) => plugin.Assembly.Name ?? Path.GetFileNameWithoutExtension(plugin.AssemblyPath);

    private static string Describe(LoadedPlugin plugin) => $"{NameOf(plugin)} {plugin.Assembly.Version} ({plugin.AssemblyPath})";

    /// <summary>A step as the file writes it, its position aside: the same step moved by an edit
    /// above it is not a change.</summary>
    private static string Written(StepSettings step) => $"{step.Type}|{step.OnError}|{(step.Options is null ? "" : Written(step.Options))}";

    private static string Written(YamlNode node) => node switch
    {
        YamlScalarNode scalar => $"'{scalar.Value}'",
        YamlSequenceNode sequence => $"[{string.Join(",", sequence.Children.Select(Written))}]",
        YamlMappingNode mapping => $"{{{string.Join(",", mapping.Children.Select(pair => Written(pair.Key) + ":" + Written(pair.Value)))}}}",
        _ => "",
    };
}

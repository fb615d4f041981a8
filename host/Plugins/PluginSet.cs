using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>The plugins of one folder, each loaded on its own (<see cref="LoadedPlugin"/>), and
/// the transforms they offer by name.</summary>
internal sealed class PluginSet : IDisposable
{
    private readonly List<LoadedPlugin> _plugins;

    private PluginSet(Dictionary<string, TransformRegistration> transforms, List<LoadedPlugin> plugins)
    {
        Transforms = transforms;
        _plugins = plugins;
    }

    public IReadOnlyDictionary<string, TransformRegistration> Transforms { get; }

    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;

    /// <exception cref="StartupException">A plugin cannot be loaded; each problem names its file.</exception>
    public static PluginSet Load(string folder, ILoggerFactory loggerFactory)
    {
        var problems = new List<string>();
        var transforms = new Dictionary<string, TransformRegistration>(StringComparer.OrdinalIgnoreCase);
        var plugins = new List<LoadedPlugin>();

        foreach (string pluginFolder in LoadedPlugin.FoldersIn(folder))
        {
            try
            {
                LoadedPlugin plugin = LoadedPlugin.Load(pluginFolder, loggerFactory);
                plugins.Add(plugin);
                problems.AddRange(AddTransforms(plugin, transforms));
            }
            catch (PluginLoadException e)
            {
                problems.Add(e.Message);
            }
        }

        if (problems.Count > 0)
        {
            plugins.ForEach(p => p.Dispose());
            throw new StartupException(problems);
        }

        return new PluginSet(transforms, plugins);
    }

    /// <summary>Adds the plugin's transforms by name.</summary>
    /// <returns>A problem for each name another plugin offers already.</returns>
    public static IEnumerable<string> AddTransforms(LoadedPlugin plugin, Dictionary<string, TransformRegistration> transforms) =>
        plugin.Transforms
            .Where(registration => !transforms.TryAdd(registration.Name, registration))
            .Select(registration => $"{plugin.AssemblyPath}: transform '{registration.Name}' is also offered by {transforms[registration.Name].PluginPath}")
            .ToList(); // At once: adding is a side effect.

    public void Dispose() => _plugins.ForEach(p => p.Dispose());
}

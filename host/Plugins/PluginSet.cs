using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>The plugins of one folder (<see cref="PluginLayout"/>), each loaded on its own
/// (<see cref="LoadedPlugin"/>), the transforms they offer by name, and what was not loaded.</summary>
internal sealed class PluginSet : IDisposable
{
    private readonly Dictionary<string, TransformRegistration> _transforms;
    private readonly List<LoadedPlugin> _plugins;

    private PluginSet(Dictionary<string, TransformRegistration> transforms, List<LoadedPlugin> plugins, List<NotLoaded> notLoaded)
    {
        _transforms = transforms;
        _plugins = plugins;
        NotLoaded = notLoaded;
    }

    /// <summary>Empty once disposed.</summary>
    public IReadOnlyDictionary<string, TransformRegistration> Transforms => _transforms;

    /// <summary>Empty once disposed.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => _plugins;

    /// <summary>Each plugin's load context, held weakly: taken before <see cref="Dispose"/>, it
    /// tells <see cref="UnloadCheck"/> afterwards which of them did not unload.</summary>
    public IReadOnlyList<UnloadingPlugin> ForUnloadCheck => [.. _plugins.Select(p => p.ForUnloadCheck)];

    /// <summary>Once disposed: the plugins this set was the last to hold, whose load contexts
    /// unload now (the others go on in a later set that shares them).</summary>
    public IReadOnlyList<UnloadingPlugin> Unloaded { get; private set; } = [];

    /// <summary>What the folder holds that was not loaded, and why. Which transforms a plugin
    /// offers is known only once it loads, so none of them stops start-up here: the pipeline
    /// stops it when it names a transform that nothing loaded offers.</summary>
    public IReadOnlyList<NotLoaded> NotLoaded { get; }

    /// <summary>What was not loaded, one warning each.</summary>
    public IReadOnlyList<string> Warnings => WarningsBeside([]);

    /// <param name="sharing">The running set, at a reload: each of its plugins whose files have
    /// not changed since it was loaded is shared rather than loaded again, so that its code is
    /// not compiled again either.</param>
    /// <exception cref="StartupException">Two plugins offer the same transform name; what was not
    /// loaded comes as its warnings.</exception>
    public static PluginSet Load(string folder, ILoggerFactory loggerFactory, PluginSet? sharing = null)
    {
        PluginLayout layout = PluginLayout.Of(folder);
        var problems = new List<string>();
        var transforms = new Dictionary<string, TransformRegistration>(StringComparer.OrdinalIgnoreCase);
        var plugins = new List<LoadedPlugin>();
        var notLoaded = new List<NotLoaded>(layout.Skipped);

        foreach (string assembly in layout.Plugins)
        {
            if (sharing?._plugins.FirstOrDefault(p => p.AssemblyPath == assembly) is { } running
                && running.Fingerprint == PluginFiles.Fingerprint(assembly) && running.TryShare())
            {
                plugins.Add(running);
                problems.AddRange(AddTransforms(running, transforms));
            }
            else if (TryLoad(assembly, loggerFactory, out LoadedPlugin? plugin, out NotLoaded? whyNot))
            {
                plugins.Add(plugin);
                problems.AddRange(AddTransforms(plugin, transforms));
            }
            else
            {
                notLoaded.Add(whyNot);
            }
        }

        notLoaded.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        if (problems.Count > 0)
        {
            plugins.ForEach(p => p.Dispose());
            throw new StartupException(problems) { Warnings = [.. notLoaded.Select(n => n.ToString())] };
        }

        return new PluginSet(transforms, plugins, notLoaded);
    }

    /// <summary>Loads one plugin assembly, or says why not with the doctor's diagnosis: the loader
    /// sees only the effect (of a .NET Framework assembly, that no class implements the contract),
    /// the doctor the cause.</summary>
    public static bool TryLoad(
        string assemblyPath, ILoggerFactory loggerFactory, [NotNullWhen(true)] out LoadedPlugin? plugin, [NotNullWhen(false)] out NotLoaded? whyNot)
    {
        try
        {
            plugin = LoadedPlugin.Load(assemblyPath, loggerFactory);
            whyNot = null;
            return true;
        }
        catch (PluginLoadException e)
        {
            plugin = null;
            whyNot = new NotLoaded(assemblyPath, Diagnose(assemblyPath, e), MayOfferTransforms: true);
            return false;
        }
    }

    /// <summary>Adds the plugin's transforms by name.</summary>
    /// <returns>A problem for each name another plugin offers already.</returns>
    public static IEnumerable<string> AddTransforms(LoadedPlugin plugin, Dictionary<string, TransformRegistration> transforms) =>
        plugin.Transforms
            .Where(registration => !transforms.TryAdd(registration.Name, registration))
            .Select(registration => $"{plugin.AssemblyPath}: transform '{registration.Name}' is also offered by {transforms[registration.Name].PluginPath}")
            .ToList(); // At once: adding is a side effect.

    /// <summary>What was not loaded, one warning each, but for what <paramref name="errors"/>
    /// say already (an unknown transform names what may have offered it).</summary>
    public IReadOnlyList<string> WarningsBeside(IReadOnlyList<string> errors) =>
        [.. NotLoaded.Select(n => n.ToString()).Where(warning => !errors.Any(error => error.Contains(warning, StringComparison.Ordinal)))];

    /// <summary>Disposes every plugin (their containers, and their load contexts unload) and
    /// forgets them and their transforms: a disposed set that is still held keeps none alive.
    /// What still holds a transform's type or object (a pipeline, a plan) must be let go too.</summary>
    public void Dispose()
    {
        _transforms.Clear();
        var unloaded = new List<UnloadingPlugin>();
        var failures = new List<Exception>();
        foreach (LoadedPlugin plugin in _plugins)
        {
            UnloadingPlugin check = plugin.ForUnloadCheck;
            try
            {
                if (plugin.Release())
                {
                    unloaded.Add(check);
                }
            }
            catch (AggregateException e)
            {
                unloaded.Add(check); // Its context unloads all the same.
                failures.Add(e);
            }
        }

        Unloaded = unloaded;
        _plugins.Clear();
        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }

    private static string Diagnose(string assemblyPath, PluginLoadException failure)
    {
        try
        {
            return PluginDoctor.Examine(assemblyPath).Explanation is { Length: > 0 } explanation ? explanation : failure.Reason;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return failure.Reason; // The diagnosis is a best effort; why loading failed is certain.
        }
    }
}

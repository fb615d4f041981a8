namespace PluggableEcho.Host.Plugins;

/// <summary>
/// What a plugins folder holds, sorted out before any plugin is loaded. A plugin is either
/// <c>&lt;Name&gt;/&lt;Name&gt;.dll</c>, with its dependencies in its folder, or a loose
/// <c>&lt;Name&gt;.dll</c> in the plugins folder itself (<see cref="LooseAssemblies"/>). Whatever
/// else is there is named, with why it is not loaded; hidden files and folders are left alone.
/// </summary>
/// <param name="Plugins">The plugin assemblies to load: the folders' first, each list in a stable order.</param>
/// <param name="Dependencies">The loose DLLs that are no plugins but that loose plugins use.</param>
/// <param name="Skipped">What will not be loaded, and why.</param>
internal sealed record PluginLayout(IReadOnlyList<string> Plugins, IReadOnlyList<string> Dependencies, IReadOnlyList<NotLoaded> Skipped)
{
    private static readonly EnumerationOptions AnyCase = new() { MatchCasing = MatchCasing.CaseInsensitive };

    public static PluginLayout Of(string folder)
    {
        var plugins = new List<string>();
        var skipped = new List<NotLoaded>();
        foreach (string pluginFolder in Visible(Directory.GetDirectories(folder)))
        {
            string assembly = AssemblyPathOf(pluginFolder);
            if (File.Exists(assembly))
            {
                plugins.Add(assembly);
            }
            else
            {
                skipped.AddRange(StrayFolder.Examine(pluginFolder, folder));
            }
        }

        LooseAssemblies loose = LooseAssemblies.Sort(Visible(DllsIn(folder)));
        return new PluginLayout([.. plugins, .. loose.Plugins], loose.Dependencies, [.. skipped, .. loose.Skipped]);
    }

    /// <summary>Where a plugin folder's assembly must be.</summary>
    public static string AssemblyPathOf(string pluginFolder) => Path.Combine(pluginFolder, Path.GetFileName(pluginFolder) + ".dll");

    /// <summary>The DLLs right in <paramref name="folder"/>, <c>.DLL</c> too.</summary>
    public static string[] DllsIn(string folder) => Directory.GetFiles(folder, "*.dll", AnyCase);

    private static IEnumerable<string> Visible(IEnumerable<string> paths) =>
        paths.Where(p => !Path.GetFileName(p).StartsWith('.')).Order(StringComparer.Ordinal);
}

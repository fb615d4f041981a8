namespace PluggableEcho.Host.Plugins;

/// <summary>A disposed plugin whose unload is to be checked: its assembly, and its load context
/// held weakly, so that checking holds nothing of it.</summary>
/// <param name="AssemblyPath">The plugin's own assembly, as it was loaded.</param>
/// <param name="LoadContext">The plugin's <see cref="System.Runtime.Loader.AssemblyLoadContext"/>,
/// tracked past finalization: it dies only once the unload is complete.</param>
internal sealed record UnloadingPlugin(string AssemblyPath, WeakReference LoadContext)
{
    /// <summary>The plugin's name, as its folder and assembly say it: <c>Shout</c>.</summary>
    public string Name => Path.GetFileNameWithoutExtension(AssemblyPath);

    public bool IsAlive => LoadContext.IsAlive;
}

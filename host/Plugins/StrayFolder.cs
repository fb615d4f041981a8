namespace PluggableEcho.Host.Plugins;

/// <summary>
/// Why a folder of the plugins folder that lacks its <c>&lt;Name&gt;.dll</c> is not loaded, and
/// what to do: most often a build output copied whole (<c>cp -r bin/Release/net10.0 plugins/</c>),
/// which holds the plugin under the name of the folder it should have been.
/// </summary>
internal static class StrayFolder
{
    private const string Layout = "plugins/<Name>/<Name>.dll";

    public static IEnumerable<NotLoaded> Examine(string folder, string pluginsFolder)
    {
        string name = Path.GetFileName(folder);
        string[] dlls;
        bool empty;
        try
        {
            dlls = PluginLayout.DllsIn(folder);
            empty = !Directory.EnumerateFileSystemEntries(folder).Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [new NotLoaded(folder, $"cannot be read: {e.Message}", MayOfferTransforms: true)];
        }

        string[] plugins = [.. dlls.Where(IsPlugin)];
        if (plugins.Length > 0)
        {
            return plugins.Select(plugin => new NotLoaded(plugin, Fix(plugin, name, plugins.Length, pluginsFolder), MayOfferTransforms: true));
        }

        string reason = empty
            ? $"an empty folder: remove it, or put a plugin in it as {name}/{name}.dll"
            : dlls.Length == 0
                ? $"a plugin folder must hold {name}.dll ({Layout}), and it holds no DLL"
                : $"a plugin folder must hold {name}.dll ({Layout}), and none of its DLLs ({string.Join(", ", dlls.Select(Path.GetFileName))}) is a plugin";
        return [new NotLoaded(folder, reason, MayOfferTransforms: false)];
    }

    private static bool IsPlugin(string dll) => AssemblyFacts.TryRead(dll, out AssemblyFacts? facts, out _) && facts.RefersToPluginInterface;

    private static string Fix(string plugin, string folderName, int plugins, string pluginsFolder)
    {
        string name = Path.GetFileNameWithoutExtension(plugin);
        string home = Path.Combine(pluginsFolder, name);
        return Directory.Exists(home)
            ? $"it is in a folder named {folderName}, and {home} is there already: remove the copy you do not want"
            : plugins == 1
                ? $"it is in a folder named {folderName}; rename the folder to {name}"
                : $"it is in a folder named {folderName}, with other plugins; move {name}.dll and what it needs to {home}{Path.DirectorySeparatorChar}";
    }
}

using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// The DLLs right in the plugins folder, sorted by their metadata without loading any: one that
/// names <see cref="ITransformPlugin"/> is a single-assembly plugin, loaded with the plugins folder
/// as its base (so its dependencies are the loose DLLs beside it); one that a loose plugin uses,
/// or one those use, is a dependency; the rest are named, with why they are not loaded.
/// </summary>
internal sealed record LooseAssemblies(IReadOnlyList<string> Plugins, IReadOnlyList<string> Dependencies, IReadOnlyList<NotLoaded> Skipped)
{
    private static readonly string PluginInterface = typeof(ITransformPlugin).FullName!;

    public static LooseAssemblies Sort(IEnumerable<string> dlls)
    {
        var plugins = new List<string>();
        var skipped = new List<NotLoaded>();
        var libraries = new Dictionary<string, (string Path, AssemblyFacts Facts)>(StringComparer.OrdinalIgnoreCase);
        var users = new Queue<AssemblyFacts>();
        foreach (string dll in dlls)
        {
            if (!AssemblyFacts.TryRead(dll, out AssemblyFacts? facts, out string? notAnAssembly))
            {
                skipped.Add(new NotLoaded(dll, notAnAssembly, MayOfferTransforms: true)); // A plugin, broken, for all anyone can tell.
            }
            else if (LoadedPlugin.SharedAssembly(facts.Name) is { } shared)
            {
                skipped.Add(new NotLoaded(dll, $"a copy of {facts.Name}, which every plugin shares with the host: "
                    + $"the host's {shared.GetName().Version} is used in its place; remove it", MayOfferTransforms: false));
            }
            else if (facts.RefersToPluginInterface)
            {
                plugins.Add(dll);
                users.Enqueue(facts);
            }
            else
            {
                libraries.TryAdd(facts.Name, (dll, facts));
            }
        }

        List<string> dependencies = [.. TakeUsed(users, libraries).Order(StringComparer.Ordinal)];
        skipped.AddRange(libraries.Values.OrderBy(l => l.Path, StringComparer.Ordinal).Select(l => new NotLoaded(l.Path, Unused(l.Facts), MayOfferTransforms: false)));
        return new LooseAssemblies(plugins, dependencies, skipped);
    }

    /// <summary>Takes out of <paramref name="libraries"/> those the plugins use, directly or
    /// through one another: what is left, nobody uses.</summary>
    private static List<string> TakeUsed(Queue<AssemblyFacts> users, Dictionary<string, (string Path, AssemblyFacts Facts)> libraries)
    {
        var used = new List<string>();
        while (users.TryDequeue(out AssemblyFacts? user))
        {
            foreach (string reference in user.References.Select(r => r.Name).OfType<string>())
            {
                if (libraries.Remove(reference, out (string Path, AssemblyFacts Facts) library))
                {
                    users.Enqueue(library.Facts);
                    used.Add(library.Path);
                }
            }
        }

        return used;
    }

    private static string Unused(AssemblyFacts library)
    {
        var cannotLoad = new List<string>();
        TargetFrameworks.Check(library.TargetFramework, cannotLoad, []);
        return string.Join("; ", [
            $"not a plugin: no class implements {PluginInterface}, and no plugin beside it uses it",
            .. cannotLoad,
            "remove it, or give the plugin that needs it a folder of its own (plugins/<Name>/<Name>.dll)"]);
    }
}

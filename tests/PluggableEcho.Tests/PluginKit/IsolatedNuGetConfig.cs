using System.Xml.Linq;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>
/// A nuget.config for a folder outside the repository that restores as this machine does, with
/// the kit's packages from the kit's feed alone. Its sources are the ones the machine uses
/// (<c>dotnet nuget list source</c>) and its global packages folder, read as a local source so
/// that what the repository's build restored needs no download. The feed itself is named by the
/// nuget.config the template writes (<c>--feed</c>); the mapping sends PluggableEcho.* there
/// only, so a copy of the same version in the machine's cache is never taken instead.
/// </summary>
internal static class IsolatedNuGetConfig
{
    /// <summary>The key under which the template's nuget.config adds its feed.</summary>
    public const string FeedKey = "pluggable-echo";

    /// <summary>Writes nuget.config into <paramref name="folder"/>, asking the machine from there first.</summary>
    public static async Task WriteAsync(string folder)
    {
        IReadOnlyDictionary<string, string> asIs = new Dictionary<string, string>();
        string listed = (await KitCommand.RunAsync(folder, asIs, KitCommand.Dotnet, "nuget", "list", "source", "--format", "short")).Succeeded().Output;
        string locals = (await KitCommand.RunAsync(folder, asIs, KitCommand.Dotnet, "nuget", "locals", "global-packages", "--list")).Succeeded().Output;

        // "E https://…" per enabled source; "global-packages: /root/.nuget/packages/".
        List<string> sources = [.. listed.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim())];
        string cache = locals.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("global-packages:", StringComparison.Ordinal))["global-packages:".Length..].Trim();
        if (Directory.Exists(cache))
        {
            sources.Insert(0, cache);
        }

        Assert.That(sources, Is.Not.Empty, $"this machine restores from no source:\n{listed}");
        var keys = sources.Select((source, i) => (Key: $"machine-{i}", Source: source)).ToList();
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                keys.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Source)))),
            new XElement("packageSourceMapping",
                Mapping(FeedKey, "PluggableEcho.*"),
                keys.Select(s => Mapping(s.Key, "*"))));
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), config.ToString());
    }

    private static XElement Mapping(string key, string pattern) =>
        new("packageSource", new XAttribute("key", key), new XElement("package", new XAttribute("pattern", pattern)));
}

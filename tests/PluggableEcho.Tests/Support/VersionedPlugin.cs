namespace PluggableEcho.Tests.Support;

/// <summary>
/// The test plugin built in two versions (tests/Plugins/Versioned): its transform <c>versioned</c>
/// prefixes each reply with <c>v1:</c> or <c>v2:</c>, and its assembly is version 1.0.0 or 2.0.0.
/// For the tests that copy a rebuilt plugin over the running one.
/// </summary>
internal static class VersionedPlugin
{
    public const string Name = "Versioned";

    public const string Transform = "versioned";

    /// <summary>The build output of that version, a plugin folder as is.</summary>
    public static string Folder(int version) => version is 1 or 2
        ? TestPaths.VersionedPluginOutput(version)
        : throw new ArgumentOutOfRangeException(nameof(version), version, "the test plugin is built as version 1 and 2");

    /// <summary>The plugin's own assembly in a plugin folder.</summary>
    public static string AssemblyIn(string pluginFolder) => Path.Combine(pluginFolder, Name + ".dll");

    /// <summary>Copies that version's files over those of <paramref name="pluginFolder"/>, each file
    /// overwritten in place, as <c>cp</c> would.</summary>
    public static void CopyOver(int version, string pluginFolder)
    {
        string build = Folder(version);
        foreach (string file in Directory.GetFiles(build, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(pluginFolder, Path.GetRelativePath(build, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }
}

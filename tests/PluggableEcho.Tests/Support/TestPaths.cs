using System.Reflection;

namespace PluggableEcho.Tests.Support;

/// <summary>Where the build put what the tests use: the host and its sample plugins, and the test plugins.</summary>
internal static class TestPaths
{
    public static string HostOutput => Path.GetFullPath(Metadata("HostOutput"));

    public static string HostAssembly => Path.Combine(HostOutput, "pluggable-echo.dll");

    public static string SamplePlugins => Path.Combine(HostOutput, "plugins");

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    /// <summary>The build output of a plugin under tests/Plugins, which is a plugin folder as is.</summary>
    public static string TestPluginOutput(string name) => Path.GetFullPath(Metadata("TestPluginsOutput").Replace("{0}", name, StringComparison.Ordinal));

    /// <summary>The build output of version 1 or 2 of tests/Plugins/Versioned (see <see cref="VersionedPlugin"/>).</summary>
    public static string VersionedPluginOutput(int version) =>
        Path.GetFullPath(Metadata("VersionedPluginOutput").Replace("{0}", version.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

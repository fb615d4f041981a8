using System.Reflection;

namespace PluggableEcho.Benchmarks;

/// <summary>The sample plugins the host's build put beside it, built like this project.</summary>
internal static class SamplePlugins
{
    public static string Folder => typeof(SamplePlugins).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SamplePlugins").Value!;
}

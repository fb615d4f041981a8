using System.Runtime.Versioning;

namespace PluggableEcho.Host.Plugins;

/// <summary>Whether this runtime can load what an assembly says it was built for.</summary>
internal static class TargetFrameworks
{
    /// <param name="targetFramework">Its <see cref="TargetFrameworkAttribute"/>, if it has one.</param>
    /// <param name="errors">What cannot be loaded: a newer .NET, or .NET Framework.</param>
    /// <param name="warnings">What may not be: a framework this host does not know.</param>
    public static void Check(string? targetFramework, List<string> errors, List<string> warnings)
    {
        if (targetFramework is null)
        {
            warnings.Add("it does not say which framework it was built for");
            return;
        }

        FrameworkName framework;
        try
        {
            framework = new FrameworkName(targetFramework);
        }
        catch (ArgumentException)
        {
            warnings.Add($"its target framework '{targetFramework}' is not one this host knows");
            return;
        }

        var runtime = new Version(Environment.Version.Major, Environment.Version.Minor);
        switch (framework.Identifier)
        {
            case ".NETCoreApp" when framework.Version > runtime:
                errors.Add($"built for .NET {framework.Version}, but this host runs on .NET {runtime}: build it for net{runtime} or run a newer host");
                break;
            case ".NETFramework":
                errors.Add($"built for .NET Framework {framework.Version}, which this host (.NET {runtime}) cannot load: build it for net{runtime}");
                break;
            case ".NETCoreApp" or ".NETStandard":
                break;
            default:
                warnings.Add($"built for {targetFramework}, which this host (.NET {runtime}) may not load");
                break;
        }
    }
}

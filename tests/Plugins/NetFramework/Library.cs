[assembly: System.Runtime.Versioning.TargetFramework(".NETFramework,Version=v4.8", FrameworkDisplayName = ".NET Framework 4.8")]

namespace PluggableEcho.Plugins.NetFramework;

/// <summary>What a .NET Framework library dropped in as a plugin holds: no plugin class.</summary>
public static class Library
{
    public static string Greeting => "hello";
}

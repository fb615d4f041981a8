using System.Reflection;
using System.Runtime.Loader;

namespace PluggableEcho.Tests.Support;

/// <summary>The test plugin's <c>hangs-on</c> steps, released from the test. The plugin is loaded
/// in contexts of its own, one per server, so its class is found by name in each.</summary>
internal static class HangingSteps
{
    public static void ReleaseAll()
    {
        foreach (Assembly faulty in AssemblyLoadContext.All.SelectMany(context => context.Assemblies).Where(a => a.GetName().Name == "Faulty"))
        {
            faulty.GetType("PluggableEcho.Plugins.Faulty.Hangs", throwOnError: true)!.GetMethod("ReleaseAll")!.Invoke(null, null);
        }
    }
}

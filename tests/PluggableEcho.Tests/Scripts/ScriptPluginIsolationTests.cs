using System.Reflection;
using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Scripts;

/// <summary>Jint is the Script plugin's own dependency: the host neither references nor loads it.</summary>
public sealed class ScriptPluginIsolationTests
{
    private static readonly string[] JintAssemblies = ["Jint", "Acornima"];

    [Test]
    public void The_host_build_carries_jint_only_in_the_plugin_folder()
    {
        Assert.That(typeof(EchoHost).Assembly.GetReferencedAssemblies().Select(a => a.Name), Has.No.AnyOf(JintAssemblies));
        Assert.That(JintAssemblies.Select(name => Path.Combine(TestPaths.HostOutput, name + ".dll")), Has.None.Matches<string>(File.Exists));
        Assert.That(JintAssemblies.Select(name => Path.Combine(TestPaths.SamplePlugins, "Script", name + ".dll")), Has.All.Matches<string>(File.Exists));
    }

    [Test]
    public void A_running_script_loads_jint_into_the_plugins_load_context_not_the_hosts()
    {
        using var folder = new TempFolder();
        using PluginSet plugins = PluginSet.Load(AllPlugins.Folder, NullLoggerFactory.Instance);
        using TransformPipeline pipeline = TestPipelines.Build(folder, "pipeline:\n  - script: return 'ran';\n", plugins);
        using PipelineSession session = pipeline.OpenSession(null);

        Assert.That(TestPipelines.Run(pipeline, "x", session), Is.EqualTo("ran"));

        AssemblyLoadContext pluginContext = AssemblyLoadContext.GetLoadContext(plugins.Transforms["script"].TransformType.Assembly)!;
        Assembly jint = pluginContext.Assemblies.Single(a => a.GetName().Name == "Jint");
        Assert.That(jint.Location, Does.Not.StartWith(AllPlugins.Folder), "loaded from the plugin's private copy, as plugins are");
        Assert.That(pluginContext, Is.Not.SameAs(AssemblyLoadContext.Default));
        Assert.That(AssemblyLoadContext.Default.Assemblies.Select(a => a.GetName().Name), Has.No.AnyOf(JintAssemblies));
    }
}

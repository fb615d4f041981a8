using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Plugins;

/// <summary>A plugin rebuilt and copied over the running one: the running version goes on, a set
/// loaded from the same folder gets the new one, and the old one unloads once disposed.</summary>
public sealed class PluginVersionsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    [Test]
    public void The_two_builds_of_the_test_plugin_are_two_versions()
    {
        Assert.That(File.Exists(VersionedPlugin.AssemblyIn(VersionedPlugin.Folder(1))), "built by the test project");
        Assert.That(File.Exists(VersionedPlugin.AssemblyIn(VersionedPlugin.Folder(2))), "built by the test project");
        Assert.That(System.Reflection.AssemblyName.GetAssemblyName(VersionedPlugin.AssemblyIn(VersionedPlugin.Folder(2))).Version, Is.EqualTo(new Version(2, 0, 0, 0)));
    }

    [Test]
    public async Task A_new_version_copied_over_a_loaded_one_loads_beside_it_and_the_old_one_unloads_once_disposed()
    {
        string pluginFolder = _folder.DropPlugin(VersionedPlugin.Folder(1), VersionedPlugin.Name);
        Generation old = Generation.Load(_folder, PluginsFolder);
        Assert.That(old.Run("hello"), Is.EqualTo("v1:hello"));
        Assert.That(old.Version, Is.EqualTo(new Version(1, 0, 0, 0)));

        VersionedPlugin.CopyOver(2, pluginFolder); // In place, while version 1 is loaded from it.
        using Generation fresh = Generation.Load(_folder, PluginsFolder);

        Assert.That(fresh.Run("hello"), Is.EqualTo("v2:hello"));
        Assert.That(fresh.Version, Is.EqualTo(new Version(2, 0, 0, 0)));
        Assert.That(old.Run("still"), Is.EqualTo("v1:still"), "the running version goes on until disposed");

        IReadOnlyList<UnloadingPlugin> unloading = old.ForUnloadCheck;
        old.Dispose();
        Assert.That(await UnloadCheck.StillAliveAfterAsync(unloading, Bound), Is.Empty, "version 1's load context is collected");
        Assert.That(fresh.ForUnloadCheck.Single().IsAlive, "version 2's is not");
        Assert.That(fresh.Run("after"), Is.EqualTo("v2:after"));
    }

    /// <summary>One plugin set and the pipeline built from it, as a reload builds them; disposed,
    /// it lets go of both, so that a local still naming it holds nothing of the plugin.</summary>
    private sealed class Generation : IDisposable
    {
        private PluginSet? _plugins;
        private TransformPipeline? _pipeline;

        private Generation(PluginSet plugins, TransformPipeline pipeline)
        {
            _plugins = plugins;
            _pipeline = pipeline;
        }

        public Version? Version => Plugins.Plugins.Single().Assembly.Version;

        public IReadOnlyList<UnloadingPlugin> ForUnloadCheck => Plugins.ForUnloadCheck;

        private PluginSet Plugins => _plugins ?? throw new ObjectDisposedException(nameof(Generation));

        [MethodImpl(MethodImplOptions.NoInlining)]
        public static Generation Load(TempFolder folder, string pluginsFolder)
        {
            PluginSet plugins = PluginSet.Load(pluginsFolder, NullLoggerFactory.Instance);
            return new Generation(plugins, TestPipelines.Build(folder, $"pipeline: [{VersionedPlugin.Transform}]\n", plugins));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        public string? Run(string message) => TestPipelines.Run(_pipeline ?? throw new ObjectDisposedException(nameof(Generation)), message);

        public void Dispose()
        {
            _pipeline?.Dispose();
            _plugins?.Dispose();
            (_pipeline, _plugins) = (null, null);
        }
    }
}

using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Plugins;

/// <summary>Loaded plugins leave their files alone: read into memory, neither mapped nor kept
/// open, so that a user can overwrite or remove them while the server runs.</summary>
public sealed class PluginFilesTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void DropPlugins()
    {
        _folder = new TempFolder();
        _folder.DropAllPlugins();
    }

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    [Test]
    [Platform("Linux")]
    public void Loaded_and_running_plugins_and_their_dependencies_map_no_file_and_hold_none_open()
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);
        using TransformPipeline pipeline = TestPipelines.Build(_folder, "pipeline:\n  - caesar\n  - script: return message + '!';\n", plugins);
        using PipelineSession session = pipeline.OpenSession(null);
        Assert.That(TestPipelines.Run(pipeline, "abc", session), Is.EqualTo("def!"), "Jint, the Script plugin's dependency, is loaded by now");

        string folder = PluginsFolder + Path.DirectorySeparatorChar;
        Assert.That(File.ReadAllLines("/proc/self/maps").Where(line => line.Contains(folder, StringComparison.Ordinal)), Is.Empty);
        Assert.That(OpenFiles().Where(file => file.StartsWith(folder, StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Each_plugin_gets_a_collectible_context()
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Transforms.Values.Select(t => t.TransformType.Assembly.IsCollectible), Has.All.True);
    }

    private static IEnumerable<string> OpenFiles() =>
        Directory.GetFiles("/proc/self/fd").Select(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget ?? "";
            }
            catch (IOException)
            {
                return ""; // Closed since it was listed.
            }
        });
}

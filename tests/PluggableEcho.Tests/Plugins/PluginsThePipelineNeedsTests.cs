using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Plugins;

/// <summary>What was not loaded stops start-up only when the pipeline names a transform that
/// nothing loaded offers; then the error names it.</summary>
public sealed class PluginsThePipelineNeedsTests
{
    private TempFolder _folder = null!;

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    private string StrayCaesar => Path.Combine(PluginsFolder, "net10.0", "Caesar.dll");

    [SetUp]
    public void DropPlugins()
    {
        _folder = new TempFolder();
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "net10.0"); // cp -r bin/Release/net10.0 plugins/
        Directory.CreateDirectory(Path.Combine(PluginsFolder, "Empty"));
    }

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_pipeline_that_needs_none_of_them_binds_and_they_are_warnings()
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(StepBinder.BindAll(Settings("pipeline: [reverse]\n"), plugins).Single().Single().Name, Is.EqualTo("reverse"));
        Assert.That(plugins.Warnings, Is.EqualTo(new[]
        {
            $"{Path.Combine(PluginsFolder, "Empty")} was not loaded: an empty folder: remove it, or put a plugin in it as Empty/Empty.dll",
            $"{StrayCaesar} was not loaded: it is in a folder named net10.0; rename the folder to Caesar",
        }));
    }

    [Test]
    public void An_unknown_transform_names_what_may_have_offered_it_and_the_rest_stay_warnings()
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);
        ServerSettings settings = Settings("pipeline: [caesar]\n");

        StartupException error = Assert.Throws<StartupException>(() => StepBinder.BindAll(settings, plugins))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"{settings.ConfigFile}:1:12: unknown transform 'caesar' (known: reverse); "
            + $"{StrayCaesar} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"));
        Assert.That(error.Warnings, Is.EqualTo(new[] { $"{Path.Combine(PluginsFolder, "Empty")} was not loaded: an empty folder: remove it, or put a plugin in it as Empty/Empty.dll" }),
            "an empty folder cannot hold the transform, and what the error says is not said again");
    }

    [Test]
    public void The_default_pipeline_names_them_too()
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);
        ServerSettings settings = Settings("");

        StartupException error = Assert.Throws<StartupException>(() => StepBinder.BindAll(settings, plugins))!;

        Assert.That(error.Problems.Single(), Does.StartWith($"{settings.ConfigFile}: the default pipeline [uppercase] needs a plugin offering 'uppercase'")
            .And.EndWith($"; {StrayCaesar} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"));
    }

    private ServerSettings Settings(string yaml) => ConfigLoader.Load(_folder.Write("echo.yaml", $"{yaml}plugins: plugins\n"), PluginsFolder);
}

using System.Runtime.Loader;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Plugins;

public sealed class PluginLoadingTests
{
    private TempFolder _folder = null!;

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    [SetUp]
    public void CreateFolder()
    {
        _folder = new TempFolder();
        Directory.CreateDirectory(PluginsFolder);
    }

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void The_host_build_puts_the_samples_where_the_default_config_looks()
    {
        using PluginSet plugins = PluginSet.Load(TestPaths.SamplePlugins, NullLoggerFactory.Instance);

        Assert.That(plugins.Transforms.Keys, Is.EquivalentTo(new[] { "uppercase", "reverse", "rot13", "script" }));
        Assert.That(plugins.Transforms["rot13"].PluginPath, Is.EqualTo(Path.Combine(TestPaths.SamplePlugins, "Rot13", "Rot13.dll")));
    }

    [Test]
    public void The_repository_plugins_folder_is_a_plugins_folder_once_built()
    {
        string repositoryPlugins = Path.Combine(TestPaths.RepositoryRoot, "plugins");
        using PluginSet plugins = PluginSet.Load(repositoryPlugins, NullLoggerFactory.Instance);

        Assert.That(plugins.Transforms.Keys, Is.SupersetOf(new[] { "uppercase", "reverse", "rot13", "script" }));
    }

    [Test]
    public void Each_plugin_gets_a_load_context_of_its_own_but_shares_the_contract()
    {
        using PluginSet plugins = PluginSet.Load(TestPaths.SamplePlugins, NullLoggerFactory.Instance);

        AssemblyLoadContext[] contexts = [.. plugins.Transforms.Values.Select(t => AssemblyLoadContext.GetLoadContext(t.TransformType.Assembly)!)];
        Assert.That(contexts, Is.Unique);
        Assert.That(contexts, Has.None.EqualTo(AssemblyLoadContext.Default));
        Assert.That(plugins.Transforms.Values.Select(t => t.TransformType), Has.All.Matches<Type>(typeof(ITransform).IsAssignableFrom));
    }

    [Test]
    public void A_plugin_built_on_its_own_works_once_its_folder_is_dropped_in()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        TransformRegistration caesar = plugins.Transforms["caesar"];
        Assert.That(caesar.OptionsType?.Name, Is.EqualTo("CaesarOptions"));
        Assert.That(Directory.GetFiles(Path.Combine(PluginsFolder, "Caesar"), "PluggableEcho.Abstractions.dll"), Is.Empty,
            "a plugin must not carry its own copy of the contract");
    }

    [Test]
    public void A_plugin_carrying_its_own_copy_of_the_contract_still_matches_the_hosts()
    {
        string caesar = _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");
        File.Copy(typeof(ITransform).Assembly.Location, Path.Combine(caesar, "PluggableEcho.Abstractions.dll"));

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(typeof(ITransform).IsAssignableFrom(plugins.Transforms["caesar"].TransformType));
    }

    [Test]
    public void A_dll_that_is_not_an_assembly_is_named_with_the_reason()
    {
        string broken = _folder.Write("plugins/Broken/Broken.dll", "this is not a portable executable");

        StartupException error = Assert.Throws<StartupException>(() => PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"{broken}: not a .NET assembly (or built for a runtime this host cannot load)"));
    }

    [Test]
    public void A_plugin_whose_constructor_throws_is_named_with_the_reason()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Unloadable"), "Unloadable");

        StartupException error = Assert.Throws<StartupException>(() => PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance))!;

        Assert.That(error.Problems.Single(), Is.EqualTo(
            $"{Path.Combine(PluginsFolder, "Unloadable", "Unloadable.dll")}: PluggableEcho.Plugins.Unloadable.UnloadablePlugin constructor threw InvalidOperationException: license key not found"));
    }

    [Test]
    public void A_folder_without_its_dll_is_named()
    {
        _folder.Write("plugins/Empty/readme.txt", "nothing here");

        StartupException error = Assert.Throws<StartupException>(() => PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance))!;

        Assert.That(error.Problems.Single(), Does.StartWith($"{Path.Combine(PluginsFolder, "Empty")}: a plugin folder must hold Empty.dll"));
    }

    [Test]
    public void An_assembly_without_a_plugin_class_is_named()
    {
        string library = typeof(YamlDotNet.Core.Mark).Assembly.Location;
        string dropped = Path.Combine(PluginsFolder, "YamlDotNet", "YamlDotNet.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dropped)!);
        File.Copy(library, dropped);

        StartupException error = Assert.Throws<StartupException>(() => PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"{dropped}: no class implements PluggableEcho.Abstractions.ITransformPlugin"));
    }

    [Test]
    public void Two_plugins_offering_the_same_name_are_both_named()
    {
        foreach (string name in new[] { "Caesar", "Caesar2" })
        {
            string folder = _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), name);
            File.Move(Path.Combine(folder, "Caesar.dll"), Path.Combine(folder, name + ".dll"), overwrite: true);
        }

        StartupException error = Assert.Throws<StartupException>(() => PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance))!;

        Assert.That(error.Problems.Single(), Is.EqualTo(
            $"{Path.Combine(PluginsFolder, "Caesar2", "Caesar2.dll")}: transform 'caesar' is also offered by {Path.Combine(PluginsFolder, "Caesar", "Caesar.dll")}"));
    }
}

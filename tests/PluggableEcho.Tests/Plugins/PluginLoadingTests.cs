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
    public void A_dll_that_is_not_an_assembly_is_named_with_the_reason_and_the_others_still_load()
    {
        string broken = _folder.Write("plugins/Broken/Broken.dll", "this is not a portable executable");
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Does.StartWith($"{broken} was not loaded: not a .NET assembly: "));
        Assert.That(plugins.NotLoaded.Single().MayOfferTransforms, "a broken plugin may be the one a missing transform is in");
        Assert.That(plugins.Transforms.Keys, Is.EquivalentTo(new[] { "caesar" }));
    }

    [Test]
    public void A_plugin_whose_constructor_throws_is_named_with_the_reason()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Unloadable"), "Unloadable");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Is.EqualTo($"{Path.Combine(PluginsFolder, "Unloadable", "Unloadable.dll")} was not loaded: "
            + "PluggableEcho.Plugins.Unloadable.UnloadablePlugin constructor threw InvalidOperationException: license key not found"));
    }

    [Test]
    public void A_folder_without_its_dll_is_named()
    {
        _folder.Write("plugins/Empty/readme.txt", "nothing here");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Is.EqualTo(
            $"{Path.Combine(PluginsFolder, "Empty")} was not loaded: a plugin folder must hold Empty.dll (plugins/<Name>/<Name>.dll), and it holds no DLL"));
    }

    [Test]
    public void An_empty_folder_is_named_and_is_no_plugin_a_missing_transform_could_be_in()
    {
        Directory.CreateDirectory(Path.Combine(PluginsFolder, "Empty"));

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        NotLoaded empty = plugins.NotLoaded.Single();
        Assert.That(empty.ToString(), Is.EqualTo($"{Path.Combine(PluginsFolder, "Empty")} was not loaded: an empty folder: remove it, or put a plugin in it as Empty/Empty.dll"));
        Assert.That(empty.MayOfferTransforms, Is.False);
    }

    [Test]
    public void An_assembly_without_a_plugin_class_is_named()
    {
        string library = typeof(YamlDotNet.Core.Mark).Assembly.Location;
        string dropped = Path.Combine(PluginsFolder, "YamlDotNet", "YamlDotNet.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(dropped)!);
        File.Copy(library, dropped);

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Is.EqualTo($"{dropped} was not loaded: no class implements PluggableEcho.Abstractions.ITransformPlugin"));
    }

    [Test]
    public void A_net_framework_assembly_in_a_plugin_folder_is_named_with_the_doctors_diagnosis()
    {
        string dropped = Path.Combine(_folder.DropPlugin(TestPaths.TestPluginOutput("NetFramework"), "NetFramework"), "NetFramework.dll");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Is.EqualTo($"{dropped} was not loaded: "
            + "built for .NET Framework 4.8, which this host (.NET 10.0) cannot load: build it for net10.0; "
            + "no class implements PluggableEcho.Abstractions.ITransformPlugin"));
    }

    [Test]
    public void A_loose_single_assembly_plugin_is_loaded_from_the_plugins_folder_itself()
    {
        string loose = _folder.DropLoose(TestPaths.TestPluginOutput("Caesar"), "Caesar.dll").Single();

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Transforms["caesar"].PluginPath, Is.EqualTo(loose));
        Assert.That(plugins.NotLoaded, Is.Empty);
    }

    [Test]
    public void A_loose_plugins_dependencies_are_the_loose_dlls_beside_it()
    {
        _folder.DropLoose(TestPaths.TestPluginOutput("Dependent"), "Dependent.dll", "DependentHelper.dll");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Transforms.Keys, Is.EquivalentTo(new[] { "shout" }));
        Assert.That(plugins.NotLoaded, Is.Empty, "a DLL a loose plugin uses is its dependency, not a plugin that failed");
        Assert.That(AssemblyLoadContext.GetLoadContext(plugins.Transforms["shout"].TransformType.Assembly)!.Assemblies.Select(a => a.GetName().Name),
            Does.Contain("DependentHelper"));
    }

    [TestCase("notes.dll", "not a .NET assembly: ")]
    [TestCase("YamlDotNet.dll", "not a plugin: no class implements PluggableEcho.Abstractions.ITransformPlugin, and no plugin beside it uses it; remove it")]
    [TestCase("NetFramework.dll", "not a plugin: no class implements PluggableEcho.Abstractions.ITransformPlugin, and no plugin beside it uses it; "
        + "built for .NET Framework 4.8, which this host (.NET 10.0) cannot load")]
    [TestCase("PluggableEcho.Abstractions.dll", "a copy of PluggableEcho.Abstractions, which every plugin shares with the host: the host's {contract} is used in its place; remove it")]
    public void A_loose_dll_that_is_no_plugin_is_named_with_its_reason(string dll, string reason)
    {
        string dropped = Path.Combine(PluginsFolder, dll);
        switch (dll)
        {
            case "notes.dll":
                File.WriteAllText(dropped, "a text file, renamed");
                break;
            case "NetFramework.dll":
                _folder.DropLoose(TestPaths.TestPluginOutput("NetFramework"), dll);
                break;
            case "YamlDotNet.dll":
                File.Copy(typeof(YamlDotNet.Core.Mark).Assembly.Location, dropped); // A plain class library.
                break;
            default:
                File.Copy(typeof(ITransform).Assembly.Location, dropped);
                break;
        }

        _folder.DropLoose(TestPaths.TestPluginOutput("Caesar"), "Caesar.dll");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        reason = reason.Replace("{contract}", typeof(ITransform).Assembly.GetName().Version!.ToString(), StringComparison.Ordinal);
        Assert.That(plugins.Warnings.Single(), Does.StartWith($"{dropped} was not loaded: {reason}"));
        Assert.That(plugins.Transforms.Keys, Is.EquivalentTo(new[] { "caesar" }), "the plugin beside it still loads");
    }

    [Test]
    public void A_build_folder_copied_whole_is_named_with_the_fix_and_the_others_still_load()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "net10.0");
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings.Single(), Is.EqualTo(
            $"{Path.Combine(PluginsFolder, "net10.0", "Caesar.dll")} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"));
        Assert.That(plugins.NotLoaded.Single().MayOfferTransforms);
        Assert.That(plugins.Transforms.Keys, Is.EquivalentTo(new[] { "reverse" }));
    }

    [Test]
    public void A_folder_holding_several_plugins_says_where_each_one_goes()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "bin");
        File.Copy(Path.Combine(TestPaths.SamplePlugins, "Reverse", "Reverse.dll"), Path.Combine(PluginsFolder, "bin", "Reverse.dll"));

        using PluginSet plugins = PluginSet.Load(PluginsFolder, NullLoggerFactory.Instance);

        Assert.That(plugins.Warnings, Is.EqualTo(new[] { "Caesar", "Reverse" }.Select(name =>
            $"{Path.Combine(PluginsFolder, "bin", name + ".dll")} was not loaded: it is in a folder named bin, with other plugins; "
            + $"move {name}.dll and what it needs to {Path.Combine(PluginsFolder, name)}{Path.DirectorySeparatorChar}")));
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

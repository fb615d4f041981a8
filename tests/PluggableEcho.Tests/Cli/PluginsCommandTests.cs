using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>plugins [--verify]</c>, run as the real executable.</summary>
public sealed class PluginsCommandTests
{
    /// <summary>The version of the host's contract, as the diagnoses name it.</summary>
    private static readonly string Contract = typeof(PluggableEcho.Abstractions.ITransform).Assembly.GetName().Version!.ToString();

    private TempFolder _folder = null!;

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Each_plugin_is_listed_with_its_assembly_version_transforms_and_options()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");

        using var plugins = new HostProcess("plugins", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Is.EqualTo(new[]
        {
            $"plugins in {PluginsFolder}",
            $"Caesar 1.0.0.0 {Path.Combine(PluginsFolder, "Caesar", "Caesar.dll")}",
            "  caesar",
            "    shift: a whole number (Int32), default 3",
            "    upper_case: true or false, default true",
            "    direction: one of forward, backward, default forward",
            $"Reverse 1.0.0.0 {Path.Combine(PluginsFolder, "Reverse", "Reverse.dll")}",
            "  reverse (no options)",
            "2 plugins: 2 ok, 0 with errors",
        }));
    }

    [Test]
    public void A_relative_folder_is_taken_from_the_working_directory()
    {
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");
        string relative = Path.GetRelativePath(TestPaths.HostOutput, PluginsFolder); // HostProcess runs there.

        using var plugins = new HostProcess("plugins", "--folder", relative, "--verify");

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput + plugins.StandardError);
        Assert.That(plugins.OutputSoFar[0], Is.EqualTo($"plugins in {PluginsFolder}"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("1 plugins: 1 ok, 0 with errors"));
    }

    [Test]
    public void Nested_options_are_listed_by_their_dotted_names()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Faulty"), "Faulty");

        using var plugins = new HostProcess("plugins", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Does.Contain("    mood: text, default 'calm'").And.Contain("    nested.depth: a whole number (Int32), default 1"));
    }

    [Test]
    public void Verify_builds_each_transform_type_as_a_pipeline_would_and_names_one_that_cannot_initialise()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Faulty"), "Faulty");

        using var plugins = new HostProcess("plugins", "--verify", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.EqualTo(1), plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Has.Some.Contains(
            "transform 'throws-when-initialised' (PluggableEcho.Plugins.Faulty.ThrowsWhenInitialised) cannot be built: InvalidOperationException: the lookup table is missing (in a static initialiser)"));
    }

    [Test]
    public void By_default_the_plugins_folder_is_the_configs()
    {
        using var plugins = new HostProcess("plugins", "--config", Path.Combine(TestPaths.RepositoryRoot, "config", "pluggable-echo.yaml"));

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar[0], Is.EqualTo($"plugins in {Path.Combine(TestPaths.RepositoryRoot, "plugins")}"));
        Assert.That(plugins.OutputSoFar, Does.Contain("  uppercase (no options)"));
    }

    [TestCase("plugins")]
    [TestCase("./plugins/")]
    public void A_relative_folder_is_taken_from_the_current_folder(string folder)
    {
        using var plugins = new HostProcess("plugins", "--folder", folder); // Run from the build output, beside its plugins/.

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar[0], Is.EqualTo($"plugins in {TestPaths.SamplePlugins}"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("4 plugins: 4 ok, 0 with errors"));
    }

    [TestCase("plugins")]
    [TestCase("./plugins/")]
    public void Verify_takes_a_relative_folder_too(string folder)
    {
        using var plugins = new HostProcess("plugins", "--folder", folder, "--verify");

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput + plugins.StandardError);
        Assert.That(plugins.OutputSoFar, Has.None.StartsWith("  error").And.None.StartsWith("  warning"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("4 plugins: 4 ok, 0 with errors"));
    }

    [Test]
    public void A_default_duration_is_listed_as_a_config_writes_it()
    {
        using var plugins = new HostProcess("plugins", "--folder", TestPaths.SamplePlugins);

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Does.Contain("    limits.time: a duration such as 500ms, 30s, 5m or 1h, default 50ms"));
    }

    [Test]
    public void A_plugin_that_cannot_load_is_listed_with_why_and_the_exit_code_is_1()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");
        _folder.DropPlugin(TestPaths.TestPluginOutput("Unloadable"), "Unloadable");

        using var plugins = new HostProcess("plugins", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.EqualTo(1));
        Assert.That(plugins.OutputSoFar, Does.Contain("  error: " + Path.Combine(PluginsFolder, "Unloadable", "Unloadable.dll")
            + " was not loaded: PluggableEcho.Plugins.Unloadable.UnloadablePlugin constructor threw InvalidOperationException: license key not found"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("2 plugins: 1 ok, 1 with errors"));
    }

    [Test]
    public void A_loose_plugin_is_listed_and_the_loose_dlls_it_uses_as_its_dependencies()
    {
        _folder.DropLoose(TestPaths.TestPluginOutput("Dependent"), "Dependent.dll", "DependentHelper.dll");

        using var plugins = new HostProcess("plugins", "--verify", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Is.EqualTo(new[]
        {
            $"plugins in {PluginsFolder}",
            $"Dependent 1.0.0.0 {Path.Combine(PluginsFolder, "Dependent.dll")}",
            "  shout (no options)",
            "DependentHelper.dll (a dependency of the plugins beside it)",
            "1 plugins: 1 ok, 0 with errors",
        }));
    }

    [Test]
    public void Verify_names_what_is_not_loaded_with_the_fix_and_the_exit_code_is_1()
    {
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "net10.0");
        _folder.Write("plugins/notes.dll", "a text file, renamed");

        using var plugins = new HostProcess("plugins", "--verify", "--folder", PluginsFolder);

        Assert.That(plugins.WaitForExit(), Is.EqualTo(1));
        Assert.That(plugins.OutputSoFar, Has.Some.EqualTo(
            $"  warning: {Path.Combine(PluginsFolder, "net10.0", "Caesar.dll")} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"));
        Assert.That(plugins.OutputSoFar, Has.Some.StartsWith($"  warning: {Path.Combine(PluginsFolder, "notes.dll")} was not loaded: not a .NET assembly"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("0 plugins: 0 ok, 0 with errors; 2 more not loaded"));
    }

    [Test]
    public void Verify_passes_good_plugins()
    {
        foreach (string sample in Directory.GetDirectories(TestPaths.SamplePlugins))
        {
            _folder.DropPlugin(sample, Path.GetFileName(sample));
        }

        using var plugins = new HostProcess("plugins", "--folder", PluginsFolder, "--verify");

        Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
        Assert.That(plugins.OutputSoFar, Has.None.StartsWith("  error").And.None.StartsWith("  warning"));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("4 plugins: 4 ok, 0 with errors"));
    }

    [TestCase("FutureContract", "error: built against PluggableEcho.Abstractions 2.0.0.0, but this host provides {contract}: a different major version of the contract")]
    [TestCase("FutureFramework", "error: built for .NET 99.0, but this host runs on .NET 10.0")]
    [TestCase("LookAlike", "error: PluggableEcho.Plugins.LookAlike.Echo implements PluggableEcho.Abstractions.ITransform from LookAlike 1.0.0.0, which only looks like the host's contract")]
    [TestCase("Dependent", "error: needs DependentHelper 1.0.0.0, which is neither in its folder (nor its deps.json) nor in the host")]
    public void Verify_says_what_will_break_at_run_time(string plugin, string diagnosis)
    {
        string dropped = _folder.DropPlugin(TestPaths.TestPluginOutput(plugin), plugin);
        File.Delete(Path.Combine(dropped, "DependentHelper.dll")); // Only Dependent has it.

        using var plugins = new HostProcess("plugins", "--folder", PluginsFolder, "--verify");

        Assert.That(plugins.WaitForExit(), Is.EqualTo(1));
        Assert.That(plugins.OutputSoFar, Has.Some.StartsWith("  " + diagnosis.Replace("{contract}", Contract, StringComparison.Ordinal)));
        Assert.That(plugins.OutputSoFar[^1], Is.EqualTo("1 plugins: 0 ok, 1 with errors"));
    }

    [Test]
    public void Verify_warns_of_a_private_copy_of_the_contract_and_refuses_one_of_another_major()
    {
        string caesar = _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");
        File.Copy(typeof(PluggableEcho.Abstractions.ITransform).Assembly.Location, Path.Combine(caesar, "PluggableEcho.Abstractions.dll"));

        using (var plugins = new HostProcess("plugins", "--folder", PluginsFolder, "--verify"))
        {
            Assert.That(plugins.WaitForExit(), Is.Zero, plugins.StandardOutput);
            Assert.That(plugins.OutputSoFar, Has.Some.StartsWith($"  warning: carries its own PluggableEcho.Abstractions.dll ({Contract}); the host's {Contract} is used in its place"));
        }

        string futureContract = Path.Combine(Path.GetDirectoryName(TestPaths.TestPluginOutput("FutureContract"))!.Replace(
            Path.Combine("FutureContract", "bin"), Path.Combine("FutureContract", "Contract", "bin"), StringComparison.Ordinal), "PluggableEcho.Abstractions.dll");
        File.Copy(futureContract, Path.Combine(caesar, "PluggableEcho.Abstractions.dll"), overwrite: true);

        using var refused = new HostProcess("plugins", "--folder", PluginsFolder, "--verify");
        Assert.That(refused.WaitForExit(), Is.EqualTo(1), refused.StandardOutput);
        Assert.That(refused.OutputSoFar, Has.Some.StartsWith("  error: carries its own PluggableEcho.Abstractions.dll (2.0.0.0)"));
    }
}

using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>check</c>, run as the real executable.</summary>
public sealed class CheckCommandTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_good_config_prints_OK_and_exits_0_without_listening()
    {
        // The port is taken: check must not try it.
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        string config = Config($"listen: 127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}\npipeline: [reverse, caesar]\n");

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.Zero, check.StandardError);
        Assert.That(check.StandardOutput, Is.EqualTo("OK"));
    }

    [TestCase("pipeline: [reverse\n", "1:11: the YAML cannot be read past this point (an unclosed [ or {?)")]
    [TestCase("pipeline:\n  - uppercase\n  - type: rot14\n", "3:5: unknown transform 'rot14' (known: caesar, hangs-on, picky, reverse, rot13, runs-out-of-memory-on, script, throws-on-boom, throws-when-built, throws-when-initialised, uppercase)")]
    [TestCase("framing: lines\non_error: sulk\n", "1:10: framing: unknown framing 'lines'")]
    [TestCase("framing: lines\non_error: sulk\n", "2:11: on_error: unknown policy 'sulk' (known: reply, drop, close, passthrough)")]
    public void Every_problem_is_printed_with_file_line_and_column_and_the_exit_code_is_1(string yaml, string problem)
    {
        string config = Config(yaml);

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.EqualTo(1));
        Assert.That(check.StandardError, Does.Contain($"error: {config}:{problem}"));
        Assert.That(check.StandardOutput, Does.Not.Contain("OK"));
    }

    [Test]
    public void A_broken_plugin_the_pipeline_needs_is_named_with_the_doctors_diagnosis_and_the_exit_code_is_1()
    {
        string dependent = _folder.DropPlugin(TestPaths.TestPluginOutput("Dependent"), "Dependent");
        File.Delete(Path.Combine(dependent, "DependentHelper.dll"));
        string config = _folder.Write("echo.yaml", "plugins: plugins\npipeline: [shout]\n");

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.EqualTo(1));
        Assert.That(check.StandardError, Does.Contain($"error: {config}:2:12: unknown transform 'shout' (known: none: {Path.Combine(_folder.Path, "plugins")} holds no plugin that loads); "
            + $"{Path.Combine(dependent, "Dependent.dll")} was not loaded: needs DependentHelper 1.0.0.0, which is neither in its folder (nor its deps.json) nor in the host; "
            + "some of its types cannot be loaded"));
    }

    [Test]
    public void A_plugin_the_pipeline_does_not_need_is_a_warning_with_the_doctors_diagnosis_and_the_config_is_OK()
    {
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");
        string library = Path.Combine(_folder.DropPlugin(TestPaths.TestPluginOutput("NetFramework"), "NetFramework"), "NetFramework.dll");
        string config = _folder.Write("echo.yaml", "plugins: plugins\npipeline: [reverse]\n");

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.Zero, check.StandardError);
        Assert.That(check.StandardOutput, Is.EqualTo("OK"));
        Assert.That(check.StandardError.Trim(), Is.EqualTo($"warning: {library} was not loaded: "
            + "built for .NET Framework 4.8, which this host (.NET 10.0) cannot load: build it for net10.0; no class implements PluggableEcho.Abstractions.ITransformPlugin"),
            "the cause, not only that no class implements the contract");
    }

    [Test]
    public void A_config_with_a_reload_section_is_OK()
    {
        string config = Config("pipeline: [reverse]\nreload:\n  watch: true\n  drain_timeout: 0\n  existing: switch\n");

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.Zero, check.StandardError);
        Assert.That(check.StandardOutput, Is.EqualTo("OK"));
    }

    [Test]
    public void A_mistake_in_the_reload_section_is_printed_with_its_position_and_the_exit_code_is_1()
    {
        string config = Config("reload:\n  existing: move\n");

        using var check = new HostProcess("check", "--config", config);

        Assert.That(check.WaitForExit(), Is.EqualTo(1));
        Assert.That(check.StandardError.Trim(), Is.EqualTo($"error: {config}:2:13: option 'existing' of reload expects one of keep, switch, got 'move'"));
    }

    [Test]
    public void Input_runs_through_framer_and_pipeline_and_the_reply_follows_OK()
    {
        string config = Config("pipeline:\n  - reverse\n  - type: throws-on-boom\n    on_error: drop\n  - uppercase\n");

        using var check = new HostProcess("check", "--config", config, "--input", "hello\nmoob\nworld");

        Assert.That(check.WaitForExit(), Is.Zero, check.StandardError);
        Assert.That(check.StandardOutput, Is.EqualTo("OK\nOLLEH\nDLROW"));
    }

    [Test]
    public void Input_from_standard_input_is_sent_as_it_is()
    {
        using var check = new HostProcess("check", "--config", Config("pipeline: [rot13]\n"), "--input", "-");
        check.Input("uryyb\nnopklm");

        Assert.That(check.WaitForExit(), Is.Zero, check.StandardError);
        Assert.That(check.StandardOutput, Is.EqualTo("OK\nhello\nabcxyz"));
    }

    [Test]
    public void The_log_level_comes_from_the_yaml_and_the_command_line_wins()
    {
        string config = Config("log_level: error\npipeline: [throws-on-boom]\n");

        using (var quiet = new HostProcess("check", "--config", config, "--input", "boom\n"))
        {
            Assert.That(quiet.WaitForExit(), Is.Zero, quiet.StandardError);
            Assert.That(quiet.StandardOutput, Is.EqualTo("OK\nERR throws-on-boom: the message went boom"));
            Assert.That(quiet.StandardError, Does.Not.Contain("failed"));
        }

        using var told = new HostProcess("check", "--config", config, "--input", "boom\n", "--log-level", "warning");
        Assert.That(told.WaitForExit(), Is.Zero, told.StandardError);
        Assert.That(told.StandardError, Does.Contain("[200] step 'throws-on-boom' failed; on_error: Reply"));
    }

    [TestCase("check", "--bogus")]
    [TestCase("check", "--log-level", "chatty")]
    [TestCase("test")]
    [TestCase("client", "example.com:80")]
    [TestCase("client", "127.0.0.1:0")]
    [TestCase("frobnicate")]
    public void A_bad_command_line_says_why_shows_the_commands_help_and_exits_2(params string[] arguments)
    {
        using var process = new HostProcess(arguments);

        Assert.That(process.WaitForExit(), Is.EqualTo(2));
        Assert.That(process.StandardError, Does.StartWith("error: ").And.Contain("Usage:"));
    }

    [TestCase("run")]
    [TestCase("check")]
    [TestCase("test")]
    [TestCase("plugins")]
    [TestCase("client")]
    public void Every_command_has_help_with_its_exit_codes(string command)
    {
        using var help = new HostProcess(command, "--help");

        Assert.That(help.WaitForExit(), Is.Zero);
        Assert.That(help.StandardOutput, Does.Contain($"pluggable-echo {command}").And.Contain("Exit codes: 0"));
    }

    /// <summary>A config using the samples and the test plugins.</summary>
    private string Config(string yaml) => _folder.Write("echo.yaml", $"{yaml}plugins: {AllPlugins.Folder}\n");
}

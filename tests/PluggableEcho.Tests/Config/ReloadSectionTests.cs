using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Config;

/// <summary>The config's <c>reload:</c> section, read into <see cref="ServerSettings.Reload"/>.</summary>
public sealed class ReloadSectionTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Without_the_section_a_reload_follows_the_defaults()
    {
        ServerSettings settings = Load("");

        Assert.That(settings.Reload, Is.Null);
        Assert.That(settings.ReloadRules, Is.EqualTo(new ReloadSettings(Watch: false, TimeSpan.FromMinutes(5), ExistingConnections.Keep)));
    }

    [TestCase("reload:\n")]
    [TestCase("reload: ~\n")]
    [TestCase("reload: {}\n")]
    public void An_empty_section_is_every_default(string yaml) =>
        Assert.That(Load(yaml).Reload, Is.EqualTo(ReloadSettings.Default));

    [Test]
    public void Every_key_is_read()
    {
        ServerSettings settings = Load("""
            reload:
              watch: true
              drain_timeout: 30s
              existing: switch
            """);

        Assert.That(settings.Reload, Is.EqualTo(new ReloadSettings(Watch: true, TimeSpan.FromSeconds(30), ExistingConnections.Switch)));
    }

    [Test]
    public void What_is_left_out_keeps_its_default() =>
        Assert.That(Load("reload: { watch: true }\n").Reload, Is.EqualTo(ReloadSettings.Default with { Watch = true }));

    [TestCase("0", 0)]
    [TestCase("500ms", 0.5)]
    [TestCase("1h", 3600)]
    [TestCase("00:02:00", 120)]
    public void A_drain_timeout_is_a_duration_and_0_moves_connections_at_once(string written, double seconds) =>
        Assert.That(Load($"reload: {{ drain_timeout: {written} }}\n").ReloadRules.DrainTimeout, Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase("keep", nameof(ExistingConnections.Keep))]
    [TestCase("Switch", nameof(ExistingConnections.Switch))]
    public void Existing_is_keep_or_switch_in_any_case(string written, string rule) =>
        Assert.That(Load($"reload: {{ existing: {written} }}\n").ReloadRules.Existing.ToString(), Is.EqualTo(rule));

    [Test]
    public void The_section_sits_beside_listeners_and_applies_to_the_whole_server() =>
        Assert.That(Load("reload: { watch: true }\nlisteners:\n  - listen: 127.0.0.1:1\n  - listen: 127.0.0.1:2\n").ReloadRules.Watch, Is.True);

    [TestCase("reload:\n  wach: true\n", 2, 3, "unknown option 'wach' for reload (known: watch, drain_timeout, existing)")]
    [TestCase("reload: { watch: often }\n", 1, 18, "option 'watch' of reload expects true or false, got 'often'")]
    [TestCase("reload: { drain_timeout: soon }\n", 1, 26, "option 'drain_timeout' of reload expects a duration such as 500ms, 30s, 5m or 1h, got 'soon'")]
    [TestCase("reload: { drain_timeout: -5m }\n", 1, 26, "option 'drain_timeout' of reload expects a duration")]
    [TestCase("reload: { drain_timeout: 400d }\n", 1, 26, "option 'drain_timeout' of reload expects a duration")]
    [TestCase("reload: { drain_timeout: 9000h }\n", 1, 11, "options of reload: The field drain_timeout must be between 00:00:00 and 365.00:00:00")]
    [TestCase("reload: { existing: move }\n", 1, 21, "option 'existing' of reload expects one of keep, switch, got 'move'")]
    [TestCase("reload: { existing: [keep] }\n", 1, 21, "option 'existing' of reload expects one of keep, switch, got a list")]
    [TestCase("reload: true\n", 1, 9, "options of reload must be a mapping of option names to values")]
    [TestCase("reload: [watch]\n", 1, 9, "options of reload must be a mapping")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    reload: { watch: true }\n", 3, 5, "listeners[0]: unknown key 'reload' (a listener takes")]
    public void A_mistake_names_file_line_and_column(string yaml, int line, int column, string message)
    {
        StartupException error = Assert.Throws<StartupException>(() => Load(yaml))!;

        Assert.That(error.Problems, Has.Some.StartsWith($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: ").And.Contains(message));
    }

    [Test]
    public void Every_mistake_in_the_section_is_reported_not_just_the_first()
    {
        StartupException error = Assert.Throws<StartupException>(() => Load("reload:\n  watch: often\n  existing: move\n"))!;

        Assert.That(error.Problems, Has.Count.EqualTo(2));
        Assert.That(error.Problems, Has.Some.Contains("echo.yaml:2:10: option 'watch'"));
        Assert.That(error.Problems, Has.Some.Contains("echo.yaml:3:13: option 'existing'"));
    }

    private ServerSettings Load(string yaml) =>
        ConfigLoader.Load(_folder.Write("echo.yaml", yaml), TestPaths.SamplePlugins);
}

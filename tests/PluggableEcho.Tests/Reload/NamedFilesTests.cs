using PluggableEcho.Host.Config;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>The files a config's steps name, which <c>reload.watch</c> watches.</summary>
public sealed class NamedFilesTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_config_without_file_options_names_none() =>
        Assert.That(NamedFiles.Of(Load("pipeline: [uppercase, { type: caesar, options: { shift: 3 } }, { script: return message; }]\n")), Is.Empty);

    [Test]
    public void A_short_form_script_file_is_taken_from_the_configs_folder_as_the_step_takes_it()
    {
        ServerSettings settings = Load("pipeline:\n  - script_file: scripts/censor.js\n");

        Assert.That(NamedFiles.Of(settings), Is.EqualTo(new[] { Path.Combine(_folder.Path, "scripts", "censor.js") }));
    }

    [Test]
    public void An_absolute_path_stays_as_it_is()
    {
        string elsewhere = Path.Combine(Path.GetTempPath(), "elsewhere", "x.js");

        Assert.That(NamedFiles.Of(Load($"pipeline:\n  - script_file: {elsewhere}\n")), Is.EqualTo(new[] { elsewhere }));
    }

    [Test]
    public void A_long_form_option_reaches_the_plugin_as_written_so_it_is_taken_from_the_working_directory()
    {
        ServerSettings settings = Load("pipeline:\n  - type: script\n    options: { script_file: censor.js }\n");

        Assert.That(NamedFiles.Of(settings), Is.EqualTo(new[] { Path.GetFullPath("censor.js") }));
    }

    [Test]
    public void Any_key_ending_in_file_counts_at_any_depth_in_mappings_and_lists()
    {
        ServerSettings settings = Load("""
            pipeline:
              - type: lookup
                options:
                  table_file: /data/table.csv
                  nested: { words_file: /data/words.txt, profile: default }
                  rules: [{ pattern_file: /data/rules.txt }, plain]
                  scriptFile: /data/camel.js
              - shout_file: loud.txt
                extra: { other_file: /data/other.txt }
            """);

        Assert.That(NamedFiles.Of(settings), Is.EquivalentTo(new[]
        {
            "/data/table.csv", "/data/words.txt", "/data/rules.txt", "/data/camel.js",
            Path.Combine(_folder.Path, "loud.txt"), "/data/other.txt",
        }));
    }

    [TestCase("pipeline:\n  - script_file: ''\n")]
    [TestCase("pipeline:\n  - script_file: ~\n    script: return 1;\n")]
    [TestCase("pipeline:\n  - script_file: [a.js, b.js]\n")]
    [TestCase("pipeline:\n  - script_file: \"a\\0b\"\n")]
    public void A_value_that_is_no_path_is_left_out(string yaml) =>
        Assert.That(NamedFiles.Of(Load(yaml)), Is.Empty);

    [Test]
    public void Every_listeners_steps_count_and_a_file_named_twice_is_listed_once()
    {
        ServerSettings settings = Load("""
            pipeline: [{ script_file: shared.js }]
            listeners:
              - listen: 127.0.0.1:1
              - listen: 127.0.0.1:2
                pipeline: [{ script_file: shared.js }, { script_file: own.js }]
            """);

        Assert.That(NamedFiles.Of(settings), Is.EqualTo(new[] { Path.Combine(_folder.Path, "shared.js"), Path.Combine(_folder.Path, "own.js") }));
    }

    private ServerSettings Load(string yaml) =>
        ConfigLoader.Load(_folder.Write("echo.yaml", yaml), TestPaths.SamplePlugins);
}

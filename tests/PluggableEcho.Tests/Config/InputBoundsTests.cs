using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Testing;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Config;

/// <summary>Files that are no config, or no config fit to read, refused with a reason before
/// they can exhaust memory or the stack.</summary>
public sealed class InputBoundsTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [TestCase("", "the config file's path is empty")]
    [TestCase("/dev/zero", "/dev/zero: the config file is larger than 1 MiB; is it the right file?")]
    public void A_path_that_is_no_config_is_refused_with_the_reason(string path, string expected)
    {
        Assert.That(Problems(() => ConfigLoader.Load(path, TestPaths.SamplePlugins)), Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void A_folder_or_a_file_over_the_bound_is_refused()
    {
        Assert.That(Problems(() => ConfigLoader.Load(_folder.Path, TestPaths.SamplePlugins)).Single(), Is.EqualTo($"{_folder.Path}: is a folder; give the config file itself"));

        string large = _folder.Write("large.yaml", "# " + new string('x', BoundedText.ConfigBytes));
        Assert.That(Problems(() => ConfigLoader.Load(large, TestPaths.SamplePlugins)).Single(), Does.EndWith("the config file is larger than 1 MiB; is it the right file?"));

        string justSmallEnough = _folder.Write("fits.yaml", "# " + new string('x', BoundedText.ConfigBytes - 3) + "\n");
        Assert.That(ConfigLoader.Load(justSmallEnough, TestPaths.SamplePlugins).Listeners, Has.Count.EqualTo(1));
    }

    /// <summary>The YAML library builds nodes recursively: 30,000 levels overflowed the stack,
    /// which no handler can catch.</summary>
    [TestCase("pipeline: ", "[", "]", 30_000)]
    [TestCase("limits: ", "{a: ", "}", 30_000)]
    [TestCase("x:\n", "- ", "", 1_000)] // Block style: each level indented once more.
    public void Nesting_past_the_bound_is_refused_at_its_place_whatever_the_depth(string start, string open, string close, int deepest)
    {
        foreach (int depth in new[] { YamlFile.MaxDepth, deepest })
        {
            bool block = close.Length == 0;
            string nested = string.Concat(Enumerable.Range(0, depth).Select(i => block ? new string(' ', i * 2) + open + "\n" : open));
            string path = _folder.Write($"deep-{depth}.yaml", start + nested + (block ? new string(' ', depth * 2) : "") + "1" + string.Concat(Enumerable.Repeat(close, depth)) + "\n");

            Assert.That(Problems(() => ConfigLoader.Load(path, TestPaths.SamplePlugins)), Has.Some.Match($@"^{Escape(path)}:\d+:\d+: lists and mappings nested more than {YamlFile.MaxDepth} deep"), $"depth {depth}");
        }
    }

    [Test]
    public void A_cases_file_is_bounded_as_a_config_is_but_larger()
    {
        Assert.That(Problems(() => CaseFile.Read("/dev/zero")).Single(), Is.EqualTo("/dev/zero: the file is larger than 16 MiB; is it the right file?"));
        string deep = _folder.Write("cases.yaml", "cases:\n  - name: deep\n    send: " + new string('[', 10_000) + new string(']', 10_000) + "\n");
        Assert.That(Problems(() => CaseFile.Read(deep)).Single(), Does.Contain(":3:").And.Contain("nested more than"));
    }

    [Test]
    public void A_script_file_that_is_no_script_is_refused_by_its_step()
    {
        string config = _folder.Write("echo.yaml", $"""
            pipeline:
              - script_file: /dev/zero
              - script_file: {_folder.Path}
            """);
        ServerSettings settings = ConfigLoader.Load(config, TestPaths.SamplePlugins);

        string[] problems = Problems(() => StepBinder.BindAll(settings, Support.Transforms.Plugins));

        Assert.That(problems, Has.Some.Contains(":2:").And.EndsWith("/dev/zero is larger than 1 MiB; is it the right file?"));
        Assert.That(problems, Has.Some.Contains(":3:").And.EndsWith($"{_folder.Path} is a folder, not a script"));
    }

    private static string[] Problems(Action load) => [.. Assert.Throws<StartupException>(() => load())!.Problems];

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}

using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Tests.Config;

/// <summary>The <c>- name: value</c> step form, which any plugin's transform can be written in.</summary>
public sealed class StepShorthandTests
{
    private static readonly TransformRegistration Template = Registration("template", typeof(TemplateOptions));
    private static readonly TransformRegistration Shout = Registration("shout", typeof(ShoutOptions));
    private static readonly TransformRegistration Quiet = Registration("quiet", null);

    [Test]
    public void Script_steps_become_steps_of_the_script_transform_with_their_own_keys_as_options()
    {
        using var folder = new TempFolder();
        ServerSettings settings = Load(folder, """
            pipeline:
              - script: |
                  return message;
                limits: { time: 10ms }
              - script: "return 'same line';"
              - script_file: scripts/x.js
            """);

        TransformRegistration[] transforms = [.. settings.Pipeline.Select(s => TransformOf(s, Support.Transforms.Plugins.Transforms))];
        YamlMappingNode[] options = [.. transforms.Select((t, i) => OptionsOf(settings, i, t))];

        Assert.That(transforms.Select(t => t.Name), Is.EqualTo(new[] { "script", "script", "script" }));
        Assert.That(settings.Pipeline.Select(s => s.Position.Line), Is.EqualTo(new[] { 2, 5, 6 }));
        Assert.That(Text(options[0], "first_line"), Is.EqualTo("3"), "a block scalar starts on the next line");
        Assert.That(Text(options[1], "first_line"), Is.EqualTo("5"));
        Assert.That(Text(options[2], "script_file"), Is.EqualTo(Path.Combine(folder.Path, "scripts", "x.js")));
        Assert.That(options[0].Children.ContainsKey("limits"));
    }

    [Test]
    public void Any_transform_taking_an_option_named_after_it_can_be_written_so_in_any_key_order()
    {
        using var folder = new TempFolder();
        ServerSettings settings = Load(folder, """
            pipeline:
              - greeting: hi
                template: |
                  {greeting}, {message}
                partials_file: parts/all.txt
              - template_file: page.txt
            """);

        TransformRegistration first = TransformOf(settings.Pipeline[0], Catalog(Template, Shout));
        YamlMappingNode options = OptionsOf(settings, 0, first);

        Assert.That(first, Is.SameAs(Template));
        Assert.That(TransformOf(settings.Pipeline[1], Catalog(Template, Shout)), Is.SameAs(Template));
        Assert.That(Text(options, "first_line"), Is.EqualTo("4"));
        Assert.That(Text(options, "partials_file"), Is.EqualTo(Path.Combine(folder.Path, "parts", "all.txt")), "every _file option is a path beside the config");
        Assert.That(Text(options, "greeting"), Is.EqualTo("hi"));
    }

    [Test]
    public void First_line_is_set_only_for_a_transform_that_takes_it()
    {
        using var folder = new TempFolder();
        ServerSettings settings = Load(folder, "pipeline:\n  - shout: loud\n");

        YamlMappingNode options = OptionsOf(settings, 0, TransformOf(settings.Pipeline[0], Catalog(Template, Shout)));

        Assert.That(options.Children.Keys.Select(k => ((YamlScalarNode)k).Value), Is.EqualTo(new[] { "shout" }));
    }

    [TestCase("pipeline:\n  - Template: x\n", "Template")]
    [TestCase("pipeline:\n  - quiet: x\n", "quiet")]
    [TestCase("pipeline:\n  - quiet_file: x\n", "quiet")]
    public void A_key_names_a_transform_only_if_spelled_as_its_option_and_taken_by_it(string yaml, string unknown)
    {
        using var folder = new TempFolder();
        StepSettings step = Load(folder, yaml).Pipeline[0];
        var problems = new ConfigProblems("echo.yaml");

        TransformRegistration? transform = StepShorthand.TransformOf((YamlMappingNode)step.Options!, Catalog(Template, Shout, Quiet), problems, out string? named);

        Assert.That(transform, Is.Null);
        Assert.That(named, Is.EqualTo(unknown), "reported as an unknown transform");
        Assert.That(problems.Any, Is.False);
    }

    [Test]
    public void Keys_that_name_two_transforms_are_refused_with_both_names()
    {
        using var folder = new TempFolder();
        StepSettings step = Load(folder, "pipeline:\n  - template: x\n    shout: y\n").Pipeline[0];
        var problems = new ConfigProblems("echo.yaml");

        TransformRegistration? transform = StepShorthand.TransformOf((YamlMappingNode)step.Options!, Catalog(Template, Shout), problems, out string? unknown);

        Assert.That(transform, Is.Null);
        Assert.That(unknown, Is.Null);
        StartupException error = Assert.Throws<StartupException>(problems.ThrowIfAny)!;
        Assert.That(error.Problems.Single(), Is.EqualTo(
            "echo.yaml:2:5: this step's keys name more than one transform (template, shout); say which with 'type:'"));
    }

    private static TransformRegistration Registration(string name, Type? optionsType) =>
        new(name, typeof(object), optionsType, $"{name}.dll", new NoServices());

    private static Dictionary<string, TransformRegistration> Catalog(params TransformRegistration[] transforms) =>
        transforms.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

    private static TransformRegistration TransformOf(StepSettings step, IReadOnlyDictionary<string, TransformRegistration> transforms)
    {
        var problems = new ConfigProblems("echo.yaml");
        TransformRegistration? transform = StepShorthand.TransformOf((YamlMappingNode)step.Options!, transforms, problems, out _);
        problems.ThrowIfAny();
        return transform!;
    }

    private static YamlMappingNode OptionsOf(ServerSettings settings, int step, TransformRegistration transform) =>
        StepShorthand.OptionsOf((YamlMappingNode)settings.Pipeline[step].Options!, transform, settings.ConfigFolder);

    private static string? Text(YamlMappingNode options, string key) => ((YamlScalarNode)options.Children[key]).Value;

    private static ServerSettings Load(TempFolder folder, string yaml) => ConfigLoader.Load(folder.Write("echo.yaml", yaml), TestPaths.SamplePlugins);

    private sealed class TemplateOptions
    {
        public string? Template { get; set; }

        public string? TemplateFile { get; set; }

        public string? PartialsFile { get; set; }

        public string? Greeting { get; set; }

        public int? FirstLine { get; set; }
    }

    private sealed class ShoutOptions
    {
        public string? Shout { get; set; }
    }

    /// <summary>The registrations here are never built: they need no services.</summary>
    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}

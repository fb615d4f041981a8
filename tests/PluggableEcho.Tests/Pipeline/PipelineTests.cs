using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Pipeline;

public sealed class PipelineTests
{
    private TempFolder _folder = null!;
    private PluginSet _plugins = null!;

    [OneTimeSetUp]
    public void LoadPlugins() => _plugins = PluginSet.Load(AllPlugins.Folder, NullLoggerFactory.Instance);

    [OneTimeTearDown]
    public void UnloadPlugins() => _plugins.Dispose();

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [TestCase("[]", "héllo", "héllo")]
    [TestCase("[uppercase]", "héllo", "HÉLLO")]
    [TestCase("[reverse, rot13]", "Hello", "byyrU")]
    [TestCase("[rot13, reverse, uppercase]", "abc", "PON")]
    [TestCase("[reverse, reverse, reverse, reverse]", "añb😀", "añb😀")]
    public void Steps_run_in_order(string pipeline, string message, string expected) =>
        Assert.That(Run(Build($"pipeline: {pipeline}\n"), message), Is.EqualTo(expected));

    [Test]
    public void Options_are_bound_from_yaml_and_reach_the_constructor()
    {
        TransformPipeline pipeline = Build("""
            pipeline:
              - type: caesar
                options:
                  shift: 1
                  upper_case: false
            """);

        Assert.That(Run(pipeline, "abc XYZ"), Is.EqualTo("bcd XYZ"));
    }

    [TestCase("backward", "def", "abc")]
    [TestCase("Backward", "def", "abc")]
    [TestCase("forward", "abc", "def")]
    public void Enum_options_take_their_names_in_any_case(string direction, string message, string expected)
    {
        TransformPipeline pipeline = Build($"pipeline:\n  - type: caesar\n    options: {{ direction: {direction} }}\n");
        Assert.That(Run(pipeline, message), Is.EqualTo(expected));
    }

    [Test]
    public void Empty_options_are_no_options()
    {
        Assert.That(Run(Build("pipeline:\n  - type: reverse\n    options:\n"), "ab"), Is.EqualTo("ba"));
        Assert.That(Run(Build("pipeline:\n  - type: caesar\n    options: ~\n"), "ab"), Is.EqualTo("de"));
    }

    [Test]
    public void Without_an_uppercase_plugin_the_default_pipeline_says_what_it_needs()
    {
        string onlyReverse = Path.Combine(_folder.Path, "only-reverse");
        Directory.CreateDirectory(onlyReverse);
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse", "only-reverse");
        using PluginSet plugins = PluginSet.Load(onlyReverse, NullLoggerFactory.Instance);
        ServerSettings settings = ConfigLoader.Load(_folder.Write("echo.yaml", "listen: 127.0.0.1:0\n"), onlyReverse);

        StartupException error = Assert.Throws<StartupException>(() => StepBinder.Bind(settings, plugins))!;

        Assert.That(error.Problems.Single(), Is.EqualTo(
            $"{settings.ConfigFile}: the default pipeline [uppercase] needs a plugin offering 'uppercase' (known: reverse); add one, or name the steps with pipeline:"));
    }

    [Test]
    public void Options_left_out_keep_their_defaults() =>
        Assert.That(Run(Build("pipeline: [caesar]\n"), "abc"), Is.EqualTo("def"));

    [TestCase("pipeline: [uppercse]\n", 1, 12, "unknown transform 'uppercse' (known: caesar, hangs-on, picky, reverse, rot13, runs-out-of-memory-on, script, throws-on-boom, throws-when-built, throws-when-initialised, uppercase)")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { direction: sideways }\n", 3, 27, "expects one of forward, backward, got 'sideways'")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { direction: 7 }\n", 3, 27, "expects one of forward, backward, got '7'")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { direction: +1 }\n", 3, 27, "expects one of forward, backward, got '+1'")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { direction: 'forward,backward' }\n", 3, 27, "expects one of forward, backward")]
    [TestCase("pipeline:\n  - type: picky\n    options:\n      mood: ~\n", 4, 7, "options of step 'picky': The mood field is required.")]
    [TestCase("pipeline:\n  - type: picky\n    options:\n      mood: angry\n", 4, 7, "option 'mood' of step 'picky': the plugin's code threw ArgumentException: refuses to be angry")]
    [TestCase("pipeline:\n  - type: picky\n    options:\n      nested: { depth: 9 }\n", 4, 17, "options of option 'nested' of step 'picky': The field depth must be between 1 and 5.")]
    [TestCase("pipeline:\n  - type: picky\n    options:\n      nested: { width: 9 }\n", 4, 17, "unknown option 'width' for option 'nested' of step 'picky' (known: depth)")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { shift: three }\n", 3, 23, "option 'shift' of step 'caesar' expects a whole number (Int32), got 'three'")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { shfit: 2 }\n", 3, 16, "unknown option 'shfit' for step 'caesar' (known: shift, upper_case, direction)")]
    [TestCase("pipeline:\n  - type: caesar\n    options: { shift: 40 }\n", 3, 16, "options of step 'caesar': The field shift must be between 1 and 25.")]
    [TestCase("pipeline:\n  - type: caesar\n    options: [1]\n", 3, 14, "options of step 'caesar' must be a mapping")]
    [TestCase("pipeline:\n  - type: reverse\n    options: { x: 1 }\n", 3, 14, "transform 'reverse' takes no options")]
    [TestCase("pipeline:\n  - options: {}\n", 2, 5, "this step has no 'type:'")]
    [TestCase("pipeline:\n  - scirpt: return 1\n", 2, 5, "unknown transform 'scirpt' (known: caesar, hangs-on, picky,")]
    [TestCase("pipeline:\n  - Script: return 1\n", 2, 5, "unknown transform 'Script' (known: caesar, hangs-on, picky,")]
    [TestCase("pipeline:\n  - reverse\n  - throws-when-built\n", 3, 5, "could not be built: InvalidOperationException: cannot start without a flux capacitor")]
    [TestCase("pipeline:\n  - throws-when-initialised\n", 2, 5, "could not be built: InvalidOperationException: the lookup table is missing (in a static initialiser)")]
    public void A_bad_step_names_its_line_and_column(string yaml, int line, int column, string message)
    {
        StartupException error = Assert.Throws<StartupException>(() => Build(yaml))!;

        Assert.That(error.Problems, Has.Some.StartsWith($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: ").And.Contains(message));
    }

    [Test]
    public void A_transform_that_cannot_be_built_is_named_with_its_plugin_file()
    {
        StartupException error = Assert.Throws<StartupException>(() => Build("pipeline: [throws-when-built]\n"))!;
        Assert.That(error.Problems.Single(), Does.Contain(Path.Combine(AllPlugins.Folder, "Faulty", "Faulty.dll")));
    }

    [Test]
    public void A_failing_step_replaces_the_reply_with_an_error_and_the_next_message_is_fine()
    {
        TransformPipeline pipeline = Build("pipeline: [reverse, throws-on-boom, uppercase]\n");

        Assert.That(Run(pipeline, "it went moob"), Is.EqualTo("ERR throws-on-boom: the message went boom"));
        Assert.That(Run(pipeline, "fine"), Is.EqualTo("ENIF"));
    }

    [Test]
    public void A_step_out_of_memory_is_answered_by_its_policy_and_told_to_whoever_watches_the_loop()
    {
        TransformPipeline pipeline = Build("pipeline: [reverse, runs-out-of-memory-on]\n");
        var told = new List<int>();
        pipeline.OutOfMemory += told.Add;

        Assert.That(Run(pipeline, "moo"), Does.StartWith("ERR runs-out-of-memory-on: Insufficient memory"));
        Assert.That(Run(pipeline, "fine"), Is.EqualTo("enif"));

        Assert.That(told, Is.EqualTo(new[] { 1 }), "the index of the step, once for the one message");
        Assert.That(pipeline.RunningStep, Is.EqualTo(-1), "between messages no step runs");
        Assert.That(pipeline.DescribeStep(1), Is.EqualTo($"step 2 'runs-out-of-memory-on' ({Path.Combine(_folder.Path, "echo.yaml")}:1:21)"));
    }

    [Test]
    public void A_failing_last_step_leaves_no_partial_output_behind()
    {
        TransformPipeline pipeline = Build("pipeline: [throws-on-boom]\n");
        var reply = new ByteBuffer();
        reply.Write("earlier reply|"u8);

        Assert.That(pipeline.Run("boom"u8, reply, PipelineSession.None), Is.EqualTo(MessageOutcome.Reply));

        Assert.That(Encoding.UTF8.GetString(reply.WrittenSpan), Is.EqualTo("earlier reply|ERR throws-on-boom: the message went boom"));
    }

    [TestCase("reply", "Reply", "earlier|ERR throws-on-boom: the message went boom")]
    [TestCase("drop", "Drop", "earlier|")]
    [TestCase("close", "Close", "earlier|")]
    [TestCase("passthrough", "Reply", "earlier|BOOM")]
    public void A_failing_step_is_handled_by_its_policy(string policy, string outcome, string reply)
    {
        TransformPipeline pipeline = Build($"pipeline:\n  - reverse\n  - type: throws-on-boom\n    on_error: {policy}\n  - uppercase\n");

        Assert.That(RunAfter("earlier|", pipeline, "moob", out MessageOutcome actual), Is.EqualTo(reply));
        Assert.That(actual.ToString(), Is.EqualTo(outcome));
        Assert.That(Run(pipeline, "fine"), Is.EqualTo("ENIF"));
    }

    [TestCase("pipeline: [throws-on-boom, reverse]\n", "boom", "moob")]
    [TestCase("pipeline: [reverse, throws-on-boom]\n", "moob", "boom")]
    [TestCase("pipeline: [throws-on-boom]\n", "boom", "boom")]
    [TestCase("pipeline: [reverse, throws-on-boom, throws-on-boom, uppercase]\n", "moob", "BOOM")]
    [TestCase("pipeline: [reverse, throws-on-boom, reverse, throws-on-boom, reverse, uppercase]\n", "moob", "BOOM")]
    public void Passthrough_sends_the_message_as_it_was_before_the_failing_step_through_the_remaining_steps(string yaml, string message, string reply) =>
        Assert.That(Run(Build("on_error: passthrough\n" + yaml), message), Is.EqualTo(reply));

    [Test]
    public void The_pipeline_default_applies_to_steps_without_their_own_policy()
    {
        TransformPipeline pipeline = Build("on_error: drop\npipeline:\n  - throws-on-boom\n  - type: throws-on-boom\n    on_error: reply\n");

        // The first step drops the message before the second could reply.
        Assert.That(RunAfter("", pipeline, "boom", out MessageOutcome outcome), Is.Empty);
        Assert.That(outcome, Is.EqualTo(MessageOutcome.Drop));

        pipeline = Build("on_error: drop\npipeline:\n  - reverse\n  - type: throws-on-boom\n    on_error: reply\n");
        Assert.That(RunAfter("", pipeline, "moob", out outcome), Is.EqualTo("ERR throws-on-boom: the message went boom"));
        Assert.That(outcome, Is.EqualTo(MessageOutcome.Reply));
    }

    private static readonly object[] Messages =
    [
        new object[] { "ASCII, with \\r\\n", Encoding.UTF8.GetBytes("Hello, world!\r\nBye. " + new string('x', 900)) },
        new object[] { "short text elements and invalid bytes", (byte[])[.. "añb😀 e\u0301 👍🏽 🇫🇷 👨‍👩‍👧 ɐ 日本"u8, 0xFF, 0xE2, 0x82, .. "ſ!"u8] },
        new object[] { "long non-ASCII text", Encoding.UTF8.GetBytes("Hello, wörld! añb😀 e\u0301 👍🏽 " + new string('x', 900) + " ɐ日本") },
    ];

    [TestCaseSource(nameof(Messages))]
    public void Steady_state_allocates_nothing_per_message(string what, byte[] message)
    {
        TransformPipeline pipeline = Build("pipeline: [uppercase, reverse, rot13, caesar]\n");
        var reply = new ByteBuffer();
        RunMany(pipeline, message, reply, 100); // Warm up: buffers grow, code is jitted.

        long before = GC.GetAllocatedBytesForCurrentThread();
        RunMany(pipeline, message, reply, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(allocated, Is.Zero, what);
    }

    private static void RunMany(TransformPipeline pipeline, byte[] message, ByteBuffer reply, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _ = pipeline.Run(message, reply, PipelineSession.None);
            reply.Clear();
        }
    }

    private TransformPipeline Build(string yaml) => TestPipelines.Build(_folder, yaml, _plugins);

    private static string RunAfter(string earlier, TransformPipeline pipeline, string message, out MessageOutcome outcome)
    {
        var reply = new ByteBuffer();
        reply.Write(Encoding.UTF8.GetBytes(earlier));
        outcome = pipeline.Run(Encoding.UTF8.GetBytes(message), reply, PipelineSession.None);
        return Encoding.UTF8.GetString(reply.WrittenSpan);
    }

    private static string? Run(TransformPipeline pipeline, string message) => TestPipelines.Run(pipeline, message);
}

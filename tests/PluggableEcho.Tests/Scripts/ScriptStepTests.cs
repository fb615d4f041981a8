using System.Net;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Scripts;

/// <summary>The script step as the host runs it: from YAML, through the Script plugin, one session per connection.</summary>
public sealed class ScriptStepTests
{
    private TempFolder _folder = null!;
    private readonly List<IDisposable> _built = [];

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void CleanUp()
    {
        _built.ForEach(b => b.Dispose());
        _built.Clear();
        _folder.Dispose();
    }

    [TestCase("return message.split(' ').reverse().join(' ');", "one two three", "three two one")]
    [TestCase("return '';", "anything", "")]
    [TestCase("return message.length;", "héllo", "5")]
    [TestCase("return message.length > 3;", "four", "true")]
    [TestCase("return message + '!';", "añb😀", "añb😀!")]
    public void A_script_returns_the_new_message(string script, string message, string expected) =>
        Assert.That(Run(Script(script), message), Is.EqualTo(expected));

    [Test]
    public void Invalid_utf8_reaches_the_script_as_replacement_characters()
    {
        TransformPipeline pipeline = Script("return [...message].map(c => c.codePointAt(0).toString(16)).join(' ');");
        var reply = new ByteBuffer();

        _ = pipeline.Run([0x61, 0xFF, 0x62], reply, Open(pipeline));

        Assert.That(Encoding.UTF8.GetString(reply.WrittenSpan), Is.EqualTo("61 fffd 62"));
    }

    [Test]
    public void Null_sends_nothing_and_later_steps_do_not_see_the_message()
    {
        TransformPipeline pipeline = Build("""
            pipeline:
              - script: |
                  return message.startsWith('#') ? null : message;
              - throws-on-boom
            """);
        PipelineSession session = Open(pipeline);

        Assert.That(TestPipelines.Run(pipeline, "# boom", session), Is.Null);
        Assert.That(TestPipelines.Run(pipeline, "kept", session), Is.EqualTo("kept"));
    }

    [TestCase("return undefined;", "the script returned nothing (undefined); return a string, or null to send nothing")]
    [TestCase("message.toUpperCase();", "the script returned nothing (undefined)")]
    [TestCase("return { text: message };", "the script returned an object; return a string")]
    public void A_result_that_is_not_a_message_fails_the_step(string script, string reason) =>
        Assert.That(Run(Script(script), "hi"), Does.StartWith("ERR script: " + reason));

    [Test]
    public void State_lasts_as_long_as_its_connection_and_is_not_shared()
    {
        TransformPipeline pipeline = Script("""
            state.count = (state.count || 0) + 1;
            return state.count + ' ' + message;
            """);
        PipelineSession first = Open(pipeline);
        PipelineSession second = Open(pipeline);

        Assert.That(TestPipelines.Run(pipeline, "a", first), Is.EqualTo("1 a"));
        Assert.That(TestPipelines.Run(pipeline, "b", first), Is.EqualTo("2 b"));
        Assert.That(TestPipelines.Run(pipeline, "c", second), Is.EqualTo("1 c"));
        Assert.That(TestPipelines.Run(pipeline, "d", first), Is.EqualTo("3 d"));
    }

    [Test]
    public void What_a_script_keeps_of_its_arguments_stays_as_it_was_given()
    {
        TransformPipeline pipeline = Script("""
            state.first ??= arguments;
            return state.first[0] + ' ' + (state instanceof Object);
            """);
        PipelineSession session = Open(pipeline);

        Assert.That(TestPipelines.Run(pipeline, "a", session), Is.EqualTo("a true"));
        Assert.That(TestPipelines.Run(pipeline, "b", session), Is.EqualTo("a true"));
    }

    [Test]
    public void Each_loop_has_its_own_engine_so_state_does_not_leak_between_them()
    {
        string yaml = "pipeline:\n  - script: \"state.seen = (state.seen || 0) + 1; return '' + state.seen;\"\n";
        TransformPipeline loopOne = Build(yaml);
        TransformPipeline loopTwo = Build(yaml);

        Assert.That(TestPipelines.Run(loopOne, "x", Open(loopOne)), Is.EqualTo("1"));
        Assert.That(TestPipelines.Run(loopTwo, "x", Open(loopTwo)), Is.EqualTo("1"));
    }

    [Test]
    public void The_script_sees_its_connection_read_only()
    {
        TransformPipeline pipeline = Script("""
            if (message === 'change') { connection.id = 0; }
            return connection.id + ' ' + connection.remoteAddress + ' ' + connection.remotePort;
            """);
        PipelineSession first = Open(pipeline, new IPEndPoint(IPAddress.Loopback, 40001));
        PipelineSession second = Open(pipeline, new IPEndPoint(IPAddress.IPv6Loopback, 40002));

        string[] firstReply = TestPipelines.Run(pipeline, "who", first)!.Split(' ');
        string[] secondReply = TestPipelines.Run(pipeline, "who", second)!.Split(' ');

        Assert.That(firstReply[1..], Is.EqualTo(new[] { "127.0.0.1", "40001" }));
        Assert.That(secondReply[1..], Is.EqualTo(new[] { "::1", "40002" }));
        Assert.That(long.Parse(secondReply[0], System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(long.Parse(firstReply[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(TestPipelines.Run(pipeline, "change", first), Does.StartWith("ERR script: TypeError: "));
    }

    [Test]
    public void A_connection_costs_a_script_step_nothing_before_its_first_message_and_under_a_kilobyte_after()
    {
        TransformPipeline pipeline = Script("state.count = (state.count || 0) + 1;\nreturn message;");
        var client = new IPEndPoint(IPAddress.Loopback, 50000);
        var sessions = new PipelineSession[10_000];
        _ = Run(pipeline, "warm up");

        long before = GC.GetTotalMemory(forceFullCollection: true);
        for (int i = 0; i < sessions.Length; i++)
        {
            sessions[i] = pipeline.OpenSession(client);
        }

        long opened = GC.GetTotalMemory(forceFullCollection: true);
        foreach (PipelineSession session in sessions)
        {
            _ = TestPipelines.Run(pipeline, "x", session);
        }

        long used = GC.GetTotalMemory(forceFullCollection: true);
        Assert.That((opened - before) / sessions.Length, Is.LessThan(160), "bytes per session opened, before any state");
        Assert.That((used - before) / sessions.Length, Is.LessThan(1024), "bytes per connection once the script has run");
        GC.KeepAlive(sessions);
    }

    [Test]
    public void A_message_costs_the_step_only_its_text_in_allocations()
    {
        // What a message must cost: its text as a .NET string (112 bytes for these 43 characters)
        // and the JsString around it (32). Calling the script allocated 112 bytes more through
        // Engine.Call; JintEntry calls it without them. The lines differ, as a connection's do.
        TransformPipeline pipeline = Script("return message;");
        PipelineSession session = Open(pipeline);
        byte[][] lines = [.. Enumerable.Range(0, 1_000).Select(i => Encoding.UTF8.GetBytes($"the quick brown fox jumps over the lazy {i:D3}"))];
        var reply = new ByteBuffer();
        for (int round = 0; round < 3; round++) // Past the engine's first calls and the JIT's early tiers.
        {
            Send(lines);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        Send(lines);
        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / lines.Length;

        Assert.That(perMessage, Is.LessThan(200), "bytes allocated per message; 256 through Engine.Call");

        void Send(byte[][] messages)
        {
            foreach (byte[] line in messages)
            {
                reply.Clear();
                _ = pipeline.Run(line, reply, session);
            }
        }
    }

    [Test]
    public void The_sandbox_offers_no_dotnet_files_or_network()
    {
        TransformPipeline pipeline = Script("""
            return [typeof importNamespace, typeof System, typeof clrHelper, typeof require,
                    typeof fetch, typeof XMLHttpRequest, typeof process].join(' ');
            """);

        Assert.That(Run(pipeline, "?"), Is.EqualTo(string.Join(' ', Enumerable.Repeat("undefined", 7))));
    }

    [Test]
    public void Undeclared_names_are_errors_not_globals_shared_by_connections() =>
        Assert.That(Run(Script("counter = 1;\nreturn message;"), "x"), Does.StartWith("ERR script: ReferenceError: counter is not defined at line 1, column 1 of the script"));

    // Generous time in the other limits' tests: the first run of an engine also compiles Jint's own code.
    [TestCase("{ time: 20ms }", "while (true) {}", "ran longer than 20 ms at line 2")]
    [TestCase("{ time: 10s, memory_mb: 1 }", "let s = 'x'; while (true) { s = s + s; }", "allocated more than 1 MiB at line 2")]
    [TestCase("{ time: 10s, recursion: 10 }", "function dive(n) { return 1 + dive(n + 1); } dive(0);", "went deeper than 10 nested calls at line 2")]
    [TestCase("{ time: 10s, statements: 100 }", "let i = 0; while (true) { i++; }", "ran more than 100 statements at line 2")]
    public void A_script_that_breaks_a_limit_fails_that_message_only(string limits, string greedy, string reason)
    {
        TransformPipeline pipeline = Build($"""
            pipeline:
              - script: |
                  if (message !== 'greedy') return 'fine';
                  {greedy}
                limits: {limits}
            """);

        Assert.That(Run(pipeline, "greedy"), Does.StartWith("ERR script: " + reason));
        Assert.That(Run(pipeline, "next"), Is.EqualTo("fine"));
    }

    [Test]
    public void A_script_step_takes_on_error_like_any_step()
    {
        TransformPipeline pipeline = Build("""
            pipeline:
              - script: |
                  if (message === 'bad') throw new Error('refused');
                  return message + '.';
                on_error: drop
            """);

        Assert.That(Run(pipeline, "bad"), Is.Null);
        Assert.That(Run(pipeline, "good"), Is.EqualTo("good."));
    }

    [TestCase("let a = []; for (let i = 0; i < 50000; i++) { a = [a]; } return String(a);")]
    [TestCase("let o = {}; for (let i = 0; i < 60000; i++) { o = { o }; } return JSON.stringify(o);")]
    public void Deep_native_recursion_fails_the_message_not_the_process(string script)
    {
        TransformPipeline pipeline = Build($"pipeline:\n  - script: |\n      {script}\n    limits: {{ time: 10s }}\n");

        Assert.That(Run(pipeline, "x"), Does.StartWith("ERR script: RangeError: Maximum call stack size exceeded"));
    }

    [Test]
    public void An_exception_names_the_script_line_and_the_config_line()
    {
        TransformPipeline pipeline = Build("""
            pipeline:
              - uppercase
              - script: |
                  const words = message.split(' ');
                  if (words.length > 2) throw new RangeError('too many words');
                  return words.join('-');
            """);

        Assert.That(Run(pipeline, "a b"), Is.EqualTo("A-B"));
        Assert.That(Run(pipeline, "a b c"), Is.EqualTo(
            "ERR script: RangeError: too many words at line 2, column 29 of the script (line 5 of the config)"));
    }

    [Test]
    public void A_script_file_is_found_beside_the_config_and_errors_name_it_by_file_name()
    {
        _folder.Write("scripts/shout.js", "// Shouts.\nif (message === '') throw new Error('nothing to shout');\nreturn message.toUpperCase() + '!';\n");
        TransformPipeline pipeline = Build("pipeline:\n  - script_file: scripts/shout.js\n");

        Assert.That(Run(pipeline, "hey"), Is.EqualTo("HEY!"));
        Assert.That(Run(pipeline, ""), Is.EqualTo("ERR script: Error: nothing to shout at shout.js:2:27"));
    }

    [Test]
    public void A_script_file_is_read_and_parsed_once_at_start_up()
    {
        string file = _folder.Write("once.js", "return 'first';\n");
        ServerSettings settings = ConfigLoader.Load(_folder.Write("echo.yaml", "pipeline:\n  - script_file: once.js\n"), AllPlugins.Folder);
        PipelineFactory factory = new PipelineFactory(StepBinder.Bind(settings, Support.Transforms.Plugins), NullLoggerFactory.Instance);
        File.WriteAllText(file, "this is no longer javascript (");

        TransformPipeline pipeline = Keep(factory.Create()); // As the next loop would build its own.

        Assert.That(Run(pipeline, "x"), Is.EqualTo("first"));
    }

    [Test]
    public void The_example_config_answers_as_the_configuration_reference_shows()
    {
        string example = Path.Combine(TestPaths.RepositoryRoot, "config", "script-example.yaml");
        ServerSettings settings = ConfigLoader.Load(example, AllPlugins.Folder);
        TransformPipeline pipeline = Keep(new PipelineFactory(StepBinder.Bind(settings, Support.Transforms.Plugins), NullLoggerFactory.Instance).Create());
        PipelineSession session = Open(pipeline);

        Assert.That(TestPipelines.Run(pipeline, "my secret plan", session), Is.EqualTo("1 PLAN ****** MY"));
        Assert.That(TestPipelines.Run(pipeline, "", session), Is.Null);
        Assert.That(TestPipelines.Run(pipeline, "hello world", session), Is.EqualTo("3 WORLD HELLO"));
    }

    [TestCase("pipeline:\n  - script: |\n      let x = 1;\n      return x +;\n", 2, 5,
        "options of step 'script': SyntaxError at line 2, column 11 of the script (line 4 of the config): Unexpected token ';'")]
    [TestCase("pipeline:\n  - reverse\n  - script: \"return (;\"\n", 3, 5,
        "options of step 'script': SyntaxError at line 1, column 9 of the script (line 3 of the config): Unexpected token ';'")]
    [TestCase("pipeline:\n  - script: |\n      return foo(\n", 2, 5,
        "options of step 'script': SyntaxError at the end of the script: Unexpected token '}'")]
    [TestCase("pipeline:\n  - script: |\n      }); (function () {\n", 2, 5,
        "options of step 'script': the script's braces do not balance")]
    [TestCase("pipeline:\n  - script: return 1\n    script_file: x.js\n", 2, 5,
        "options of step 'script': give the script inline (script) or in a file (script_file), not both")]
    [TestCase("pipeline:\n  - script: return 1\n    limits: { time: 0 }\n", 3, 15,
        "options of option 'limits' of step 'script': The field time must be between 00:00:00.0010000 and 00:00:10.")]
    [TestCase("pipeline:\n  - script: return 1\n    limits: { recursion: 100000 }\n", 3, 15,
        "options of option 'limits' of step 'script': The field recursion must be between 1 and 1000.")]
    [TestCase("pipeline:\n  - script: return 1\n    limits: { memroy_mb: 3 }\n", 3, 15,
        "unknown option 'memroy_mb' for option 'limits' of step 'script' (known: time, memory_mb, recursion, statements)")]
    [TestCase("pipeline:\n  - script: return 1\n    type: reverse\n", 2, 5, "unknown step key 'script' (known: type, options, on_error)")]
    public void A_bad_script_step_stops_start_up_at_its_line_and_column(string yaml, int line, int column, string message)
    {
        StartupException error = Assert.Throws<StartupException>(() => Build(yaml))!;

        Assert.That(error.Problems, Has.One.StartsWith($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: {message}"));
    }

    [Test]
    public void A_syntax_error_in_a_script_file_names_the_file_line_and_column()
    {
        string file = _folder.Write("scripts/bad.js", "// fine\nreturn message +;\n");

        StartupException error = Assert.Throws<StartupException>(() => Build("pipeline:\n  - uppercase\n  - script_file: scripts/bad.js\n"))!;

        Assert.That(error.Problems.Single(), Is.EqualTo(
            $"{Path.Combine(_folder.Path, "echo.yaml")}:3:5: options of step 'script': SyntaxError at {file}:2:17: Unexpected token ';'"));
    }

    [Test]
    public void A_missing_script_file_names_the_step_and_the_path()
    {
        StartupException error = Assert.Throws<StartupException>(() => Build("pipeline:\n  - script_file: nowhere.js\n"))!;

        Assert.That(error.Problems.Single(), Does.StartWith(
            $"{Path.Combine(_folder.Path, "echo.yaml")}:2:5: options of step 'script': cannot read {Path.Combine(_folder.Path, "nowhere.js")}: "));
    }

    private TransformPipeline Script(string script) =>
        Build("pipeline:\n  - script: |\n" + string.Concat(script.Split('\n').Select(line => "      " + line + "\n")));

    private TransformPipeline Build(string yaml) => Keep(TestPipelines.Build(_folder, yaml));

    private TransformPipeline Keep(TransformPipeline pipeline)
    {
        _built.Add(pipeline);
        return pipeline;
    }

    private PipelineSession Open(TransformPipeline pipeline, EndPoint? remote = null)
    {
        PipelineSession session = pipeline.OpenSession(remote ?? new IPEndPoint(IPAddress.Loopback, 50000));
        _built.Add(session);
        return session;
    }

    /// <summary>One message on a connection of its own.</summary>
    private string? Run(TransformPipeline pipeline, string message) => TestPipelines.Run(pipeline, message, Open(pipeline));
}

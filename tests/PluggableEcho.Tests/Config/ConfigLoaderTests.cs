using System.Net;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Config;

public sealed class ConfigLoaderTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [TestCase("pluggable-echo.yaml", 8088, nameof(Framing.Line))]
    [TestCase("length-prefixed.yaml", 8089, nameof(Framing.LengthPrefixed))]
    public void The_shipped_configs_load_as_documented(string file, int port, string framing)
    {
        string shipped = Path.Combine(TestPaths.RepositoryRoot, "config", file);
        ServerSettings settings = ConfigLoader.Load(shipped, TestPaths.SamplePlugins);

        Assert.That(settings.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, port)));
        Assert.That(settings.Framing.ToString(), Is.EqualTo(framing));
        Assert.That(settings.PluginFolder, Is.EqualTo(Path.Combine(TestPaths.RepositoryRoot, "plugins")));
    }

    [Test]
    public void An_empty_file_means_every_default()
    {
        ServerSettings settings = Load("");

        Assert.That(settings.PluginFolder, Is.EqualTo(TestPaths.SamplePlugins));
        Assert.That(settings.Listen, Is.EqualTo(ServerSettings.DefaultListen));
        Assert.That(settings.Framing, Is.EqualTo(Framing.Line));
        Assert.That(settings.Pipeline.Select(s => s.Type), Is.EqualTo(new[] { "uppercase" }));
    }

    [Test]
    public void No_file_at_all_means_every_default_too()
    {
        ServerSettings settings = ConfigLoader.Load(null, TestPaths.SamplePlugins);

        Assert.That(settings.ConfigFile, Is.EqualTo("(no config file)"));
        Assert.That(settings.Listen, Is.EqualTo(ServerSettings.DefaultListen));
        Assert.That(settings.PluginFolder, Is.EqualTo(TestPaths.SamplePlugins));
        Assert.That(settings.Pipeline, Is.EqualTo(new[] { StepSettings.Default }));
    }

    [Test]
    public void Short_and_long_step_forms_keep_their_order_and_options()
    {
        ServerSettings settings = Load("""
            framing: raw
            pipeline:
              - reverse
              - type: caesar
                options: { shift: 5 }
              - rot13
            """);

        Assert.That(settings.Framing, Is.EqualTo(Framing.Raw));
        Assert.That(settings.Pipeline.Select(s => s.Type), Is.EqualTo(new[] { "reverse", "caesar", "rot13" }));
        Assert.That(settings.Pipeline[1].Options, Is.Not.Null);
        Assert.That(settings.Pipeline[1].Position.Line, Is.EqualTo(4));
    }

    [TestCase("line", nameof(Framing.Line))]
    [TestCase("raw", nameof(Framing.Raw))]
    [TestCase("length-prefixed", nameof(Framing.LengthPrefixed))]
    public void Each_framing_is_known_by_its_name(string name, string framing) =>
        Assert.That(Load($"framing: {name}\n").Framing.ToString(), Is.EqualTo(framing));

    [Test]
    public void Loops_poller_and_limits_are_read_with_defaults_for_what_is_left_out()
    {
        ServerSettings settings = Load("""
            loops: 3
            poller: select
            limits:
              max_connections: 100
              idle_timeout: 90s
              on_oversize: skip
            """);

        Assert.That(settings.Loops, Is.EqualTo(3));
        Assert.That(settings.Poller, Is.EqualTo(PollerKind.Select));
        Assert.That(settings.Limits.MaxConnections, Is.EqualTo(100));
        Assert.That(settings.Limits.IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(90)));
        Assert.That(settings.Limits.OnOversize, Is.EqualTo(OversizePolicy.Skip));
        Assert.That(settings.Limits.OutputBufferBytes, Is.EqualTo(1 << 20), "the default");
        Assert.That(settings.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)), "the default");
        Assert.That(settings.MaxBufferedBytes, Is.EqualTo(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4), "the default: a quarter of what the process may use");
    }

    [Test]
    public void The_watchdog_reports_a_step_stuck_for_5_s_by_default_and_only_reports()
    {
        ServerSettings settings = Load("");

        Assert.That(settings.StepTimeout, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(settings.OnStuck, Is.EqualTo(StuckPolicy.Report));
    }

    [TestCase("limits: { step_timeout: 300ms, on_stuck: exit }\n", 300, nameof(StuckPolicy.Exit))]
    [TestCase("limits: { step_timeout: 0, on_stuck: report }\n", 0, nameof(StuckPolicy.Report))]
    [TestCase("limits: { stepTimeout: 2s, onStuck: Exit }\nlisteners: [{ listen: 127.0.0.1:1 }]\n", 2000, nameof(StuckPolicy.Exit))]
    public void Step_timeout_and_on_stuck_are_read_from_the_top_level_limits(string yaml, int milliseconds, string policy)
    {
        ServerSettings settings = Load(yaml);

        Assert.That(settings.StepTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.That(settings.OnStuck.ToString(), Is.EqualTo(policy));
    }

    [TestCase("spin: 50us\n", 0.05)]
    [TestCase("spin: 0\n", 0.0)]
    [TestCase("", 0.0)]
    public void Spin_is_a_short_duration_and_off_by_default(string yaml, double milliseconds) =>
        Assert.That(Load(yaml).Spin, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));

    [Test]
    public void Loops_auto_is_the_default_and_what_auto_loops_counts()
    {
        Assert.That(Load("loops: auto\n").Loops, Is.EqualTo(AutoLoops.Count));
        Assert.That(Load("").Loops, Is.EqualTo(AutoLoops.Count));
    }

    [TestCase(1, 1)]
    [TestCase(2, 1)]
    [TestCase(3, 3)]
    [TestCase(4, 4)]
    [TestCase(64, 64)]
    public void Auto_loops_are_one_per_core_but_one_on_two_cores_or_fewer(int cores, int loops) =>
        Assert.That(AutoLoops.For(cores), Is.EqualTo(loops));

    [Test]
    public void Plugins_folder_is_relative_to_the_config_file()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "my-plugins"));
        ServerSettings settings = Load("plugins: my-plugins\n");
        Assert.That(settings.PluginFolder, Is.EqualTo(Path.Combine(_folder.Path, "my-plugins")));
    }

    [Test]
    public void Command_line_listen_wins_over_the_file()
    {
        string config = _folder.Write("echo.yaml", "listen: 127.0.0.1:9000\n");
        ServerSettings settings = ConfigLoader.Load(config, TestPaths.SamplePlugins, new CommandLineOverrides(IPEndPoint.Parse("[::1]:0")));
        Assert.That(settings.Listen, Is.EqualTo(new IPEndPoint(IPAddress.IPv6Loopback, 0)));
    }

    [TestCase("lisen: 127.0.0.1:1\n", 1, 1, "unknown key 'lisen' (known keys: listen, framing, plugins, pipeline, on_error, proxy_protocol, log_level, loops, poller, spin, limits, listeners, admin, log_format, reload)")]
    [TestCase("listen: 127.0.0.1:99999\n", 1, 9, "'99999' in '127.0.0.1:99999' is not a port number")]
    [TestCase("listen: example.com:80\n", 1, 9, "'example.com' in 'example.com:80' is not an IP address")]
    [TestCase("listen: 8088\n", 1, 9, "is not HOST:PORT")]
    [TestCase("listen: ::1:8088\n", 1, 9, "IPv6 goes in brackets, and then in quotes in YAML")]
    [TestCase("listen: [a, b]\n", 1, 9, "listen: expected an address")]
    [TestCase("framing: lines\n", 1, 10, "unknown framing 'lines' (known: line, raw, length-prefixed)")]
    [TestCase("plugins: nowhere\n", 1, 10, "nowhere' does not exist")]
    [TestCase("pipeline: uppercase\n", 1, 11, "pipeline: expected a list of steps")]
    [TestCase("pipeline:\n  - type: reverse\n    option: {}\n", 3, 5, "unknown step key 'option' (known: type, options, on_error)")]
    [TestCase("pipeline:\n  - [reverse]\n", 2, 5, "a step is a transform name")]
    [TestCase("listen: 127.0.0.1:1\n  bad: indent\n", 2, 6, "")]
    [TestCase("pipeline: [reverse\n", 2, 1, "")]
    [TestCase("pipeline: [reverse\nplugins: x\n", 1, 11, "the YAML cannot be read past this point")]
    [TestCase("listen: a\nlisten: b\n", 2, 1, "Duplicate key")]
    [TestCase("- just\n- a list\n", 1, 1, "the config must be a mapping")]
    [TestCase("listen: &a 127.0.0.1:1\nframing: *a\n", 2, 10, "aliases such as *a are not supported here")]
    [TestCase("? &k [*k]\n: 1\n", 1, 7, "aliases such as *k are not supported here")]
    [TestCase("listen: \"[::1]\"\n", 1, 9, "'[::1]' is not HOST:PORT")]
    [TestCase("listen: 127.000.000.010:80\n", 1, 9, "is not an IP address")]
    [TestCase("loops: many\n", 1, 8, "loops: expected auto (one per core, one on 2 cores or fewer) or a number from 1 to 1024, got 'many'")]
    [TestCase("loops: 0\n", 1, 8, "loops: expected auto")]
    [TestCase("poller: kqueue\n", 1, 9, "unknown poller 'kqueue' (known: auto, epoll, select)")]
    [TestCase("spin: 1s\n", 1, 7, "spin: expected a duration from 0 to 100ms, such as 50us, got '1s'")]
    [TestCase("limits:\n  max_conections: 5\n", 2, 3, "unknown option 'max_conections' for limits (known: max_connections, max_connections_per_ip, idle_timeout, message_timeout, max_message_bytes, on_oversize, output_buffer_bytes, output_stall_timeout, max_connection_duration, proxy_header_timeout, max_buffered_bytes, shutdown_timeout, step_timeout, on_stuck)")]
    [TestCase("limits: { step_timeout: 25h }\n", 1, 11, "options of limits: The field step_timeout must be between 00:00:00 and 1.00:00:00")]
    [TestCase("limits: { step_timeout: soon }\n", 1, 25, "option 'step_timeout' of limits expects")]
    [TestCase("limits: { on_stuck: restart }\n", 1, 21, "option 'on_stuck' of limits expects")]
    [TestCase("limits: { max_connections: 0 }\n", 1, 11, "max_connections must be between 1 and 1000000")]
    [TestCase("limits: { max_connections_per_ip: -1 }\n", 1, 11, "max_connections_per_ip must be between 0 and 1000000")]
    [TestCase("limits: { max_connections_per_ip: 1000001 }\n", 1, 11, "max_connections_per_ip must be between 0 and 1000000")]
    [TestCase("limits: { output_buffer_bytes: lots }\n", 1, 32, "expects a whole number (Int32), got 'lots'")]
    [TestCase("limits: 5\n", 1, 9, "options of limits must be a mapping")]
    [TestCase("on_error: ignore\n", 1, 11, "on_error: unknown policy 'ignore' (known: reply, drop, close, passthrough)")]
    [TestCase("on_error: 2\n", 1, 11, "on_error: unknown policy '2'")]
    [TestCase("on_error: +1\n", 1, 11, "on_error: unknown policy '+1'")]
    [TestCase("on_error: reply,drop\n", 1, 11, "on_error: unknown policy 'reply,drop'")]
    [TestCase("pipeline:\n  - type: reverse\n    on_error: [drop]\n", 3, 15, "on_error: expected one of reply, drop, close, passthrough")]
    [TestCase("log_level: loud\n", 1, 12, "log_level: unknown level 'loud' (known: trace, debug, information, warning, error, critical, none)")]
    [TestCase("admin: { listen: 10.1.2.3:9090 }\n", 1, 8, "admin: listen: 10.1.2.3:9090 is not a loopback address")]
    [TestCase("listen: 127.0.0.1:9090\nadmin: { listen: 127.0.0.1:9090 }\n", 2, 8, "admin: listen: port 9090 is the data listener's")]
    [TestCase("admin: { allow_remote: true }\n", 1, 8, "listen is required")]
    [TestCase("admin: { listen: nowhere }\n", 1, 8, "admin: listen: 'nowhere' is not HOST:PORT")]
    [TestCase("log_format: xml\n", 1, 13, "log_format: unknown format 'xml' (known: text, json)")]
    [TestCase("listen: 127.0.0.1:1\nlisteners: [{ listen: 127.0.0.1:2 }]\n", 1, 1, "listen: with listeners:, each listener names its own listen:")]
    [TestCase("listeners: []\n", 1, 12, "listeners: expected a list of listeners")]
    [TestCase("listeners:\n  - framing: raw\n", 2, 5, "listeners[0]: listen: is required")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n  - listen: nowhere\n", 3, 13, "listeners[1]: listen: 'nowhere' is not HOST:PORT")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    framing: morse\n", 3, 14, "listeners[0]: framing: unknown framing 'morse'")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    loops: 2\n", 3, 5, "listeners[0]: unknown key 'loops' (a listener takes listen, framing, pipeline, on_error, limits, proxy_protocol)")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { shutdown_timeout: 1s }\n", 3, 15, "listeners[0]: limits: shutdown_timeout is the whole server's")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { max_buffered_bytes: 1048576 }\n", 3, 15, "listeners[0]: limits: max_buffered_bytes is the whole server's")]
    [TestCase("limits: { max_buffered_bytes: 1000 }\n", 1, 11, "The field max_buffered_bytes must be between 1048576 and")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { max_connections: 0 }\n", 3, 15, "options of listeners[0]: limits: The field max_connections must be between 1 and 1000000")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { max_connections_per_ip: -1 }\n", 3, 15, "options of listeners[0]: limits: The field max_connections_per_ip must be between 0 and 1000000")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:7000\n  - listen: 0.0.0.0:7000\n", 3, 5, "listeners[1]: listen: 0.0.0.0:7000 takes the port of listeners[0] (127.0.0.1:7000)")]
    [TestCase("admin: { listen: 127.0.0.1:7001 }\nlisteners:\n  - listen: 127.0.0.1:7000\n  - listen: 127.0.0.1:7001\n", 1, 8, "admin: listen: port 7001 is the data listener's (127.0.0.1:7001)")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { shutdownTimeout: 1s }\n", 3, 15, "listeners[0]: limits: shutdown_timeout is the whole server's")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n    limits: { max_connections: 5, step_timeout: 1s }\n", 3, 35, "listeners[0]: limits: step_timeout is the whole server's: set it in the top-level limits:")]
    [TestCase("listeners:\n  - listen: 127.0.0.1:1\n  - listen: 127.0.0.1:2\n    limits: { on_stuck: exit }\n", 4, 15, "listeners[1]: limits: on_stuck is the whole server's: set it in the top-level limits:")]
    public void A_mistake_names_file_line_and_column(string yaml, int line, int column, string message)
    {
        StartupException error = Assert.Throws<StartupException>(() => Load(yaml))!;

        Assert.That(error.Problems, Has.Some.StartsWith($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: ").And.Contains(message));
    }

    [TestCase("pipeline:\n\t- uppercase\n", 2, 1)]
    [TestCase("listen: 127.0.0.1:1\nlimits:\n  max_connections: 5\n\tidle_timeout: 5s\n", 4, 1)]
    [TestCase("pipeline: [uppercase]\n\nlimits:\n    max_connections: 5\n  \t  idle_timeout: 5s\n", 5, 3)]
    [TestCase("pipeline:\n  - script: |\n      return message;\n     \treturn 1;\n", 4, 6)]
    public void A_tab_in_the_indentation_is_shown_at_the_tab(string yaml, int line, int column)
    {
        StartupException error = Assert.Throws<StartupException>(() => Load(yaml))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: "
            + "a tab in the indentation: YAML indents with spaces, not tabs"));
    }

    [Test]
    public void A_tab_between_a_key_and_its_value_is_no_indentation() =>
        Assert.That(Load("listen:\t127.0.0.1:1\n").Listen.Port, Is.EqualTo(1));

    [TestCase("pipeline:\n  - type: reverse\n options:\n    x: 1\n", 3, 2, "While parsing a block mapping, did not find expected key: this line is indented unlike the keys beside it")]
    [TestCase("pipeline:\n  - type: reverse\n  options:\n    x: 1\n", 3, 3, "While parsing a block collection, did not find expected '-' indicator: this line, in a list, is indented less than the keys of the item above")]
    [TestCase("pipeline:\n  - type: reverse\n    on_error: drop\n   options:\n      x: 1\n", 4, 4, "While parsing a block collection, did not find expected '-' indicator: this line, in a list")]
    public void Options_indented_less_than_their_type_say_what_to_do(string yaml, int line, int column, string message)
    {
        StartupException error = Assert.Throws<StartupException>(() => Load(yaml))!;

        Assert.That(error.Problems.Single(), Does.StartWith($"{Path.Combine(_folder.Path, "echo.yaml")}:{line}:{column}: {message}")
            .And.Contain("(a step's options: goes right under its type:"));
    }

    [Test]
    public void Error_policies_default_to_reply_and_a_step_can_set_its_own()
    {
        ServerSettings settings = Load("""
            on_error: passthrough
            log_level: Debug
            pipeline:
              - reverse
              - type: rot13
                on_error: close
            """);

        Assert.That(settings.OnError, Is.EqualTo(ErrorPolicy.Passthrough));
        Assert.That(settings.LogLevel, Is.EqualTo(Microsoft.Extensions.Logging.LogLevel.Debug));
        Assert.That(settings.Pipeline.Select(s => s.OnError), Is.EqualTo(new ErrorPolicy?[] { null, ErrorPolicy.Close }));
        Assert.That(Load("pipeline: [reverse]\n").OnError, Is.EqualTo(ErrorPolicy.Reply));
        Assert.That(Load("pipeline: [reverse]\n").LogLevel, Is.Null);
    }

    [Test]
    public void Every_mistake_is_reported_not_just_the_first()
    {
        StartupException error = Assert.Throws<StartupException>(() => Load("""
            listen: nowhere
            framing: stream
            colour: blue
            """))!;

        Assert.That(error.Problems.Select(p => p.Split(": ")[0].Split(':')[^2]), Is.EqualTo(new[] { "1", "2", "3" }));
    }

    [TestCase("pipeline:\n")]
    [TestCase("pipeline: ~\n")]
    [TestCase("pipeline: []\n")]
    public void An_empty_pipeline_echoes_as_is(string yaml) => Assert.That(Load(yaml).Pipeline, Is.Empty);

    [Test]
    public void A_missing_config_file_names_the_path()
    {
        string missing = Path.Combine(_folder.Path, "missing.yaml");
        StartupException error = Assert.Throws<StartupException>(() => ConfigLoader.Load(missing, TestPaths.SamplePlugins))!;
        Assert.That(error.Problems.Single(), Does.StartWith($"{missing}: cannot read the config file"));
    }

    [Test]
    public void The_admin_endpoint_is_off_by_default_and_on_where_the_config_says()
    {
        Assert.That(Load("").Admin, Is.Null);
        Assert.That(Load("admin: { listen: 127.0.0.1:9090 }\n").Admin?.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 9090)));
        Assert.That(Load("admin: { listen: 0.0.0.0:9090, allow_remote: true }\n").Admin?.Listen, Is.EqualTo(new IPEndPoint(IPAddress.Any, 9090)));
    }

    private ServerSettings Load(string yaml) =>
        ConfigLoader.Load(_folder.Write("echo.yaml", yaml), TestPaths.SamplePlugins);
}

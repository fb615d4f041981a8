using System.Net;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Config;

public sealed class ListenersConfigTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Without_listeners_the_top_level_keys_are_the_only_listener()
    {
        ServerSettings settings = Load("listen: 127.0.0.1:9000\nframing: raw\n");

        Assert.That(settings.Listeners, Has.Count.EqualTo(1));
        Assert.That(settings.Listeners[0], Is.EqualTo(settings.Listeners[0] with
        {
            Name = "listener 0", Listen = new IPEndPoint(IPAddress.Loopback, 9000), Framing = Framing.Raw,
        }));
    }

    [Test]
    public void Each_listener_takes_the_top_level_keys_it_does_not_set()
    {
        ServerSettings settings = Load("""
            framing: length-prefixed
            pipeline: [reverse]
            on_error: drop
            limits: { max_connections: 50, max_message_bytes: 100, shutdown_timeout: 3s }
            listeners:
              - listen: 127.0.0.1:9001
              - listen: 127.0.0.1:9002
                framing: line
                pipeline: [rot13, uppercase]
                on_error: close
                limits: { max_message_bytes: 200 }
            """);

        Assert.That(settings.Listeners.Select(l => (l.Name, l.Listen.Port, l.Framing)), Is.EqualTo(new[]
        {
            ("listener 0", 9001, Framing.LengthPrefixed), ("listener 1", 9002, Framing.Line),
        }));
        Assert.That(settings.Listeners.Select(l => string.Join(",", l.Pipeline.Select(s => s.Type))), Is.EqualTo(new[] { "reverse", "rot13,uppercase" }));
        Assert.That(settings.Listeners.Select(l => l.OnError), Is.EqualTo(new[] { ErrorPolicy.Drop, ErrorPolicy.Close }));
        Assert.That(settings.Listeners.Select(l => (l.Limits.MaxConnections, l.Limits.MaxMessageBytes)), Is.EqualTo(new[] { (50, 100), (50, 200) }),
            "a listener's limits: replaces the keys it names and keeps the rest");
        Assert.That(settings.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public void Max_connections_per_ip_is_off_by_default_and_a_listener_takes_or_replaces_the_top_level_s()
    {
        ServerSettings settings = Load("""
            limits: { max_connections_per_ip: 20 }
            listeners:
              - listen: 127.0.0.1:9001
              - listen: 127.0.0.1:9002
                limits: { max_connections_per_ip: 0 }
            """);

        Assert.That(new LimitsSection().ToConnectionLimits().MaxConnectionsPerIp, Is.Zero, "off unless asked for");
        Assert.That(settings.Listeners.Select(l => l.Limits.MaxConnectionsPerIp), Is.EqualTo(new[] { 20, 0 }));
    }

    [Test]
    public void The_command_line_address_replaces_the_only_listener_s_and_is_refused_with_several()
    {
        string one = _folder.Write("one.yaml", "listeners: [{ listen: 127.0.0.1:9001, framing: raw }]\n");
        string two = _folder.Write("two.yaml", "listeners: [{ listen: 127.0.0.1:9001 }, { listen: 127.0.0.1:9002 }]\n");

        var listen = new CommandLineOverrides(new IPEndPoint(IPAddress.Loopback, 0));
        ServerSettings settings = ConfigLoader.Load(one, TestPaths.SamplePlugins, listen);
        StartupException error = Assert.Throws<StartupException>(() => ConfigLoader.Load(two, TestPaths.SamplePlugins, listen))!;

        Assert.That((settings.Listen.Port, settings.Framing), Is.EqualTo((0, Framing.Raw)));
        Assert.That(error.Problems.Single(), Is.EqualTo($"--listen: {two} has 2 listeners; --listen replaces the address of a config with one"));
    }

    [Test]
    public void The_command_line_framing_replaces_the_only_listener_s_and_is_refused_with_several()
    {
        string one = _folder.Write("one.yaml", "listen: 127.0.0.1:9001\nframing: length-prefixed\n");
        string two = _folder.Write("two.yaml", "listeners: [{ listen: 127.0.0.1:9001 }, { listen: 127.0.0.1:9002 }]\n");

        var raw = new CommandLineOverrides(Framing: Framing.Raw);
        ServerSettings settings = ConfigLoader.Load(one, TestPaths.SamplePlugins, raw);
        StartupException error = Assert.Throws<StartupException>(() => ConfigLoader.Load(two, TestPaths.SamplePlugins, raw))!;

        Assert.That((settings.Listen.Port, settings.Framing), Is.EqualTo((9001, Framing.Raw)));
        Assert.That(error.Problems.Single(), Is.EqualTo($"--framing: {two} has 2 listeners; --framing replaces the framing of a config with one"));
    }

    [Test]
    public void Each_listener_knows_where_its_address_was_set_for_the_messages_that_name_it()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\nlisteners:\n  - listen: 127.0.0.1:9001\n  -   listen: 127.0.0.1:9002\n");
        string none = _folder.Write("none.yaml", "framing: raw\n");

        Assert.That(ConfigLoader.Load(config, TestPaths.SamplePlugins).Listeners.Select(l => l.ListenOrigin),
            Is.EqualTo(new[] { $"listen: at {config}:3:5", $"listen: at {config}:4:7" }));
        Assert.That(ConfigLoader.Load(none, TestPaths.SamplePlugins).Listeners.Single().ListenOrigin, Is.EqualTo($"the default: {none} has no listen:"));
        Assert.That(ConfigLoader.Load(null, TestPaths.SamplePlugins).Listeners.Single().ListenOrigin, Is.EqualTo("the built-in default"));
        Assert.That(ConfigLoader.Load(none, TestPaths.SamplePlugins, new CommandLineOverrides(new IPEndPoint(IPAddress.Loopback, 0)))
            .Listeners.Single().ListenOrigin, Is.EqualTo("--listen"));
    }

    private ServerSettings Load(string yaml) => ConfigLoader.Load(_folder.Write("echo.yaml", yaml), TestPaths.SamplePlugins);

    [Test]
    public void A_listener_written_wrong_is_reported_once_not_again_as_a_shared_port()
    {
        StartupException error = Assert.Throws<StartupException>(() => Load("listeners: [127.0.0.1:9000, 127.0.0.1:9001]\n"))!;

        Assert.That(error.Problems, Has.Count.EqualTo(2).And.All.Contains("expected a mapping of listener keys"));
    }

    [Test]
    public void Proxy_protocol_is_off_unless_set_and_a_listener_inherits_or_sets_its_own()
    {
        Assert.That(Load("listen: 127.0.0.1:9000\n").Listeners[0].ProxyProtocol, Is.EqualTo(ProxyProtocol.Off));
        Assert.That(Load("listen: 127.0.0.1:9000\n").Listeners[0].Limits.ProxyHeaderTimeout, Is.EqualTo(TimeSpan.FromSeconds(3)));

        ServerSettings settings = Load("""
            proxy_protocol: v2
            limits: { proxy_header_timeout: 500ms }
            listeners:
              - listen: 127.0.0.1:9001
              - listen: 127.0.0.1:9002
                proxy_protocol: ANY
              - listen: 127.0.0.1:9003
                proxy_protocol: off
            """);

        Assert.That(settings.Listeners.Select(l => l.ProxyProtocol), Is.EqualTo(new[] { ProxyProtocol.V2, ProxyProtocol.Any, ProxyProtocol.Off }));
        Assert.That(settings.Listeners.Select(l => l.Limits.ProxyHeaderTimeout), Has.All.EqualTo(TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public void A_proxy_protocol_written_wrong_is_named_with_its_listener_line_and_column()
    {
        StartupException error = Assert.Throws<StartupException>(() => Load("""
            listeners:
              - listen: 127.0.0.1:9001
                proxy_protocol: v3
            limits: { proxy_header_timeout: 0s }
            """))!;

        Assert.That(error.Problems, Has.Some.Contains(":3:").And.Contains("listeners[0]: proxy_protocol: unknown PROXY protocol version 'v3' (known: off, v1, v2, any)"));
        Assert.That(error.Problems, Has.Some.Contains(":4:").And.Contains("proxy_header_timeout"));
    }

    [Test]
    public void An_IPv4_and_an_IPv6_listener_may_share_a_port_number()
    {
        ServerSettings settings = Load("listeners: [{ listen: 0.0.0.0:7000 }, { listen: \"[::1]:7000\" }]\n");

        Assert.That(settings.Listeners, Has.Count.EqualTo(2));
    }

    [Test]
    public void Every_listener_s_step_mistakes_are_reported_together()
    {
        string config = _folder.Write("steps.yaml", """
            listeners:
              - listen: 127.0.0.1:0
                pipeline: [nosuch]
              - listen: 127.0.0.1:0
                pipeline: [nothing]
            """);
        ServerSettings settings = ConfigLoader.Load(config, TestPaths.SamplePlugins);

        StartupException error = Assert.Throws<StartupException>(() => StepBinder.BindAll(settings, Support.Transforms.Plugins))!;

        Assert.That(error.Problems, Has.Some.Contains(":3:").And.Contains("unknown transform 'nosuch'"));
        Assert.That(error.Problems, Has.Some.Contains(":5:").And.Contains("unknown transform 'nothing'"));
    }
}

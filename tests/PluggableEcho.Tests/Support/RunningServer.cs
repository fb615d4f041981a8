using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Support;

/// <summary>A server in this process on an ephemeral loopback port, configured by YAML text.</summary>
internal sealed class RunningServer : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ILoggerFactory _logging;
    private readonly EchoHost _host;
    private readonly string _config;

    /// <param name="yaml">The config; without a plugins: key it uses the samples and the test plugins.
    /// It listens on an ephemeral loopback port unless it lists its own listeners:.</param>
    /// <param name="poller">Added to the config as its poller: key, when given.</param>
    public RunningServer(string yaml, string? poller = null)
    {
        _logging = TestLogging.Create(Log);
        string config = _folder.Write("echo.yaml", poller is null ? yaml : $"{yaml}\npoller: {poller}\n");
        _config = config;
        try
        {
            // A config with listeners: names each one's address (127.0.0.1:0 in tests) itself.
            IPEndPoint? listen = yaml.Contains("listeners:", StringComparison.Ordinal) ? null : new IPEndPoint(IPAddress.Loopback, 0);
            _host = EchoHost.Start(config, listen, _logging, AllPlugins.Folder);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IPEndPoint EndPoint => _host.LocalEndPoint;

    /// <summary>For tests that reach into the loops.</summary>
    public EchoServer Server => _host.Server;

    /// <summary>This server's own instruments.</summary>
    public System.Diagnostics.Metrics.Meter Meter => _host.Meter.Meter;

    /// <summary>Where its admin endpoint listens; null without one.</summary>
    public IPEndPoint? AdminEndPoint => _host.AdminEndPoint;

    /// <summary>What it has logged, for a test that waits for an event.</summary>
    public CapturedLog Log { get; } = new();

    public TestClient Connect() => new(EndPoint);

    /// <summary>The server itself: its reloader, its generations.</summary>
    public EchoHost Host => _host;

    /// <summary>The folder its config is in, for the files a config names.</summary>
    public TempFolder Folder => _folder;

    /// <summary>Writes its config file anew: what the next reload reads.</summary>
    public void Rewrite(string yaml) => File.WriteAllText(_config, yaml);

    /// <summary>Rewrites its config and reloads it, as <c>POST /reload</c> would.</summary>
    public Host.Reload.ReloadOutcome Reload(string yaml)
    {
        Rewrite(yaml);
        return _host.Reload("test");
    }

    /// <summary>Stops the server as a signal would: stop accepting, drain, close.</summary>
    public void Stop() => _host.Dispose();

    public void Dispose()
    {
        Exception? loopFailure = _host?.Completion.Exception;
        _host?.Dispose();
        _logging.Dispose();
        _folder.Dispose();

        // A loop that died while the test ran must fail the test, even if its asserts passed.
        Assert.That(loopFailure, Is.Null, "the event loop failed");
    }
}

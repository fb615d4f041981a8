using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host;

namespace PluggableEcho.Tests.Support;

/// <summary>A server in this process on an ephemeral loopback port, configured by YAML text.</summary>
internal sealed class RunningServer : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ILoggerFactory _logging = TestLogging.Create();
    private readonly EchoHost _host;

    /// <param name="yaml">The config; without a plugins: key it uses the samples and the test plugins.</param>
    public RunningServer(string yaml)
    {
        string config = _folder.Write("echo.yaml", yaml);
        try
        {
            _host = EchoHost.Start(config, "127.0.0.1:0", _logging, AllPlugins.Folder);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public IPEndPoint EndPoint => _host.LocalEndPoint;

    public TestClient Connect() => new(EndPoint);

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

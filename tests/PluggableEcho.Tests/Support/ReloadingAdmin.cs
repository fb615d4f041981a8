using System.Net;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Tests.Support;

/// <summary>A real admin endpoint on a loopback port of the system's choosing, without a server
/// behind it: its <c>POST /reload</c> runs the function the test gives.</summary>
internal sealed class ReloadingAdmin : IDisposable
{
    private readonly ILoggerFactory _logging = TestLogging.Create();
    private readonly PrometheusText _metrics = new("PluggableEcho.Tests.ReloadingAdmin");
    private readonly AdminEndpoint _admin;

    /// <param name="reload">Null: a server that cannot reload.</param>
    public ReloadingAdmin(Func<ReloadOutcome>? reload)
    {
        var config = new RunningConfig("(no config file)", null, 1, [], [], 1, "epoll");
        _admin = AdminEndpoint.Start(new AdminOptions(new IPEndPoint(IPAddress.Loopback, 0)), new ServerStatus(), _metrics, () => config, _logging, reload);
    }

    public IPEndPoint EndPoint => _admin.LocalEndPoint;

    public HttpClient Http() => new() { BaseAddress = new Uri($"http://{EndPoint}"), Timeout = TestClient.Timeout };

    public void Dispose()
    {
        _admin.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _metrics.Dispose();
        _logging.Dispose();
    }
}

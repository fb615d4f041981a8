using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// Tells systemd (a <c>Type=notify</c> unit) that the server is ready once every listener, and
/// the admin endpoint if there is one, accepts, and that it is stopping once the stop begins.
/// Without <c>NOTIFY_SOCKET</c>, as outside systemd, it does nothing.
/// </summary>
/// <remarks>Registered after <see cref="EchoHostService"/>, so started after it and stopped
/// before it. Not <c>UseSystemd()</c>: that would replace <see cref="SignalLifetime"/>.</remarks>
internal sealed partial class SystemdReadiness(EchoHostService server, ISystemdNotifier notifier, ILogger<SystemdReadiness> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled && server.Running is { } running)
        {
            // The status first: by the time systemctl says "active", it says where too.
            Notify(new ServiceState($"STATUS={Status(running)}"));
            Notify(ServiceState.Ready);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
        {
            Notify(ServiceState.Stopping);
        }

        return Task.CompletedTask;
    }

    /// <summary>What <c>systemctl status</c> shows: "listening on 127.0.0.1:7000; admin on 127.0.0.1:9090".</summary>
    internal static string Status(EchoHost running) =>
        $"listening on {string.Join(", ", running.LocalEndPoints)}" + (running.AdminEndPoint is { } admin ? $"; admin on {admin}" : "");

    // A lost message must not stop a server that runs fine: systemd's timeout tells the operator.
    private void Notify(ServiceState state)
    {
        try
        {
            notifier.Notify(state);
        }
        catch (SocketException e)
        {
            LogNotifyFailed(state.ToString(), e.Message);
        }
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "cannot tell systemd {State}: {Reason}")]
    private partial void LogNotifyFailed(string state, string reason);
}

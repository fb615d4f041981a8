using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// Stops the application on SIGTERM or SIGINT (Ctrl+C). The first signal stops on our own terms;
/// a second one, while that is under way, ends the process at once, which the Generic Host's
/// console lifetime would not allow. SIGHUP, which would end the process by default, is logged
/// and otherwise ignored until live reload exists, so that <c>systemctl reload</c> or a closed
/// terminal never stops the server.
/// </summary>
internal sealed partial class SignalLifetime(IHostApplicationLifetime lifetime, ILogger<SignalLifetime> logger) : IHostLifetime, IDisposable
{
    private PosixSignalRegistration? _terminate;
    private PosixSignalRegistration? _interrupt;
    private PosixSignalRegistration? _hangUp;
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangUp);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _terminate?.Dispose();
        _interrupt?.Dispose();
        _hangUp?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = Interlocked.Increment(ref _signals) == 1;
        lifetime.StopApplication();
    }

    private void OnHangUp(PosixSignalContext context)
    {
        context.Cancel = true;
        LogReloadNotSupported();
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "SIGHUP: reload is not supported yet; the server goes on with the config it started with")]
    private partial void LogReloadNotSupported();
}

using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// Stops the application on SIGTERM, SIGINT (Ctrl+C) or SIGQUIT (as nginx does: a graceful
/// stop). The first signal stops on our own terms; a second one, while that is under way, ends
/// the process at once, which the Generic Host's console lifetime would not allow. SIGHUP
/// reloads the config, as nginx and HAProxy do (<c>systemctl reload</c> sends it), off the
/// signal's thread; the reload logs its outcome. No signal a service manager or a terminal
/// commonly sends ends the server without its drain: SIGUSR1 and SIGUSR2 are logged and ignored.
/// </summary>
internal sealed partial class SignalLifetime(IHostApplicationLifetime lifetime, EchoHostService server, ILogger<SignalLifetime> logger) : IHostLifetime, IDisposable
{
    // Linux's numbers (x86, ARM); PosixSignal names only the portable ones.
    private const PosixSignal SIGUSR1 = (PosixSignal)10;
    private const PosixSignal SIGUSR2 = (PosixSignal)12;

    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (PosixSignal stop in (PosixSignal[])[PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT])
        {
            _registrations.Add(PosixSignalRegistration.Create(stop, OnSignal));
        }

        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangUp));
        if (OperatingSystem.IsLinux())
        {
            _registrations.Add(PosixSignalRegistration.Create(SIGUSR1, OnUserSignal));
            _registrations.Add(PosixSignalRegistration.Create(SIGUSR2, OnUserSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registrations.ForEach(registration => registration.Dispose());

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = Interlocked.Increment(ref _signals) == 1;
        lifetime.StopApplication();
    }

    private void OnHangUp(PosixSignalContext context)
    {
        context.Cancel = true;
        if (server.Running is not { } running)
        {
            LogNothingToReload();
            return;
        }

        // Reloads are one at a time: a second SIGHUP during one waits for it, then reloads again.
        ThreadPool.QueueUserWorkItem(_ => running.Reload("SIGHUP"));
    }

    private void OnUserSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        LogIgnored(context.Signal == SIGUSR1 ? "SIGUSR1" : "SIGUSR2");
    }

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "{Signal}: ignored; SIGTERM, SIGINT or SIGQUIT stop the server")]
    private partial void LogIgnored(string signal);

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "SIGHUP: the server is not serving yet, or any more: nothing to reload")]
    private partial void LogNothingToReload();
}

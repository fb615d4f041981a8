using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// Stops the application on SIGTERM or SIGINT (Ctrl+C). The first signal stops on our own terms;
/// a second one, while that is under way, ends the process at once, which the Generic Host's
/// console lifetime would not allow.
/// </summary>
internal sealed class SignalLifetime(IHostApplicationLifetime lifetime) : IHostLifetime, IDisposable
{
    private PosixSignalRegistration? _terminate;
    private PosixSignalRegistration? _interrupt;
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        _terminate?.Dispose();
        _interrupt?.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = Interlocked.Increment(ref _signals) == 1;
        lifetime.StopApplication();
    }
}

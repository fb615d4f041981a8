using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Cli;

/// <summary>The echo server as the Generic Host runs it: started with the host, stopped through
/// <see cref="EchoHost"/> (so shutdown happens in one place), and an exit code to show for it.</summary>
internal sealed class EchoHostService(ServerSettings settings, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    : IHostedService
{
    private EchoHost? _host;

    public int ExitCode { get; private set; } = ExitCodes.Failed;

    /// <summary>The server once it started, every listener accepting; null if it could not start.</summary>
    public EchoHost? Running => _host;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _host = EchoHost.Start(settings, loggerFactory);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CliConsole.PrintProblems(e switch
            {
                StartupException startup => startup.Problems, // An address in use too: which, and where it was set.
                IOException admin => [$"cannot start the admin endpoint: {admin.Message}"], // Its message names the address.
                _ => [$"cannot start: {e}"], // Unexpected: the whole trace helps.
            });
            lifetime.StopApplication();
            return Task.CompletedTask;
        }

        // A loop that ends on its own (it failed) stops the application as a signal would.
        _ = _host.Completion.ContinueWith(
            _ => lifetime.StopApplication(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is null)
        {
            return Task.CompletedTask; // Never started: ExitCode says so.
        }

        _host.Dispose();
        switch (_host.Completion.Status)
        {
            case TaskStatus.RanToCompletion:
                ExitCode = ExitCodes.Ok;
                break;
            case TaskStatus.Faulted:
                Console.Error.WriteLine($"error: the event loop failed: {_host.Completion.Exception?.InnerException?.Message}");
                break;
            default:
                Console.Error.WriteLine("error: the event loop did not stop in time");
                break;
        }

        return Task.CompletedTask;
    }
}

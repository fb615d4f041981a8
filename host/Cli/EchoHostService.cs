using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Host.Cli;

/// <summary>The echo server as the Generic Host runs it: started with the host, stopped through
/// <see cref="EchoHost"/> (so shutdown happens in one place), and an exit code to show for it.</summary>
internal sealed class EchoHostService(ServerSettings settings, ConfigSource source, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    : IHostedService
{
    private EchoHost? _host;
    private volatile LoopFault? _stoppedFor; // Set under on_stuck: exit, before the stop it asks for.

    public int ExitCode { get; private set; } = ExitCodes.Failed;

    /// <summary>The server once it started, every listener accepting; null if it could not start.</summary>
    public EchoHost? Running => Volatile.Read(ref _host);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _host = EchoHost.Start(settings, loggerFactory, source);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            CliConsole.PrintWarnings((e as StartupException)?.Warnings ?? []);
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
        if (settings.OnStuck == StuckPolicy.Exit)
        {
            // So does a stuck loop, or a step out of memory, for a supervisor to start it afresh.
            _ = _host.FirstFault.ContinueWith(StopFor, CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_host is null)
        {
            return Task.CompletedTask; // Never started: ExitCode says so.
        }

        _host.Dispose();
        if (_stoppedFor is { } fault)
        {
            Console.Error.WriteLine($"error: {fault.Reason}; on_stuck: exit");
            ExitCode = ExitCodes.LoopFault;
            return Task.CompletedTask;
        }

        switch (_host.Completion.Status)
        {
            case TaskStatus.RanToCompletion:
                ExitCode = ExitCodes.Ok;
                break;
            case TaskStatus.Faulted:
                Console.Error.WriteLine($"error: the event loop failed: {_host.Completion.Exception?.InnerException?.Message}");
                break;
            default:
                Console.Error.WriteLine("error: an event loop stuck in a step did not stop in time (the log names it)");
                ExitCode = ExitCodes.LoopFault;
                break;
        }

        return Task.CompletedTask;
    }

    private void StopFor(Task<LoopFault> fault)
    {
        _stoppedFor = fault.Result;
        HostLog.StoppingOnFault(loggerFactory.CreateLogger<EchoHost>(), ExitCodes.LoopFault, fault.Result.Reason);
        lifetime.StopApplication();
    }
}

using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host;

HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    Console.Error.WriteLine(HostArguments.Usage);
    return 2;
}

if (arguments.ShowHelp)
{
    Console.WriteLine(HostArguments.Usage);
    return 0;
}

using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging
    .SetMinimumLevel(LogLevel.Information)
    .AddSimpleConsole(console =>
    {
        console.SingleLine = true;
        console.TimestampFormat = "HH:mm:ss ";
    }));

using var stopRequested = new CancellationTokenSource();
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

EchoHost host;
try
{
    host = EchoHost.Start(arguments.ConfigPath, arguments.Listen, loggerFactory);
}
catch (StartupException e)
{
    foreach (string problem in e.Problems)
    {
        Console.Error.WriteLine($"error: {problem}");
    }

    return 1;
}
catch (SocketException e)
{
    Console.Error.WriteLine($"error: cannot listen on the configured address: {e.Message}");
    return 1;
}
catch (Exception e) when (e is not OutOfMemoryException)
{
    Console.Error.WriteLine($"error: cannot start: {e}"); // Unexpected: the whole trace helps.
    return 1;
}

using (host)
{
    await Task.WhenAny(host.Completion, Task.Delay(Timeout.Infinite, stopRequested.Token)).ConfigureAwait(false);
}

switch (host.Completion.Status)
{
    case TaskStatus.RanToCompletion:
        return 0;
    case TaskStatus.Faulted:
        Console.Error.WriteLine($"error: the event loop failed: {host.Completion.Exception?.InnerException?.Message}");
        return 1;
    default:
        Console.Error.WriteLine("error: the event loop did not stop in time");
        return 1;
}

void Stop(PosixSignalContext context)
{
    // The first signal stops on our own terms, then exits 0; a second one, while that is under
    // way, ends the process at once.
    context.Cancel = !stopRequested.IsCancellationRequested;
    stopRequested.Cancel();
}

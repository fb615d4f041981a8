using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using ReferenceServer;

// An accept loop and one async task per connection: how most .NET code serves TCP.
if (!TryParsePort(args, out int port))
{
    Console.Error.WriteLine("usage: reference-server [--port N]    (N = 0, the default, picks a free port)");
    return 2;
}

using var stopping = new CancellationTokenSource();
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

using var listener = new TcpListener(IPAddress.Loopback, port);
try
{
    listener.Start();
}
catch (SocketException e)
{
    Console.Error.WriteLine($"cannot listen on 127.0.0.1:{port}: {e.Message}");
    return 1;
}
Console.WriteLine($"listening on {listener.LocalEndpoint}");

try
{
    while (true)
    {
        Socket client = await listener.AcceptSocketAsync(stopping.Token);
        _ = LineEcho.ServeAsync(client, stopping.Token);
    }
}
catch (OperationCanceledException)
{
    // SIGTERM or Ctrl+C: connections see the same token and close.
}
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

static bool TryParsePort(string[] args, out int port)
{
    port = 0;
    return args.Length == 0
        || (args.Length == 2 && args[0] == "--port" && int.TryParse(args[1], out port) && port is >= 0 and <= 65535);
}

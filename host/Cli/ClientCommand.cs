using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Client;

namespace PluggableEcho.Host.Cli;

/// <summary><c>client HOST:PORT</c>: talk to a server by hand, or from a script.</summary>
internal static class ClientCommand
{
    private const string Description = """
        Talk to a line-based server: on a terminal, prompt 'msg>>: ' and print each reply; from a
        pipe, send standard input as it is and print every reply until the server closes.
        Exit codes: 0 the conversation ended, 1 cannot connect or the connection failed, 2 bad command line.
        """;

    public static Command Create()
    {
        Argument<IPEndPoint> address = CommonOptions.Server();
        var command = new Command("client", Description) { address };
        command.SetAction((parsed, cancel) => RunAsync(parsed.GetValue(address)!, cancel));
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint server, CancellationToken cancel)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancel).ConfigureAwait(false);
            if (Console.IsInputRedirected)
            {
                using Stream input = Console.OpenStandardInput();
                using Stream output = Console.OpenStandardOutput();
                await EchoClient.RelayAsync(socket, input, output).ConfigureAwait(false);
            }
            else
            {
                EchoClient.Converse(socket, Console.In, Console.Out);
            }

            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            Console.Error.WriteLine($"error: {server}: {(e.InnerException ?? e).Message}");
            return ExitCodes.Failed;
        }
    }
}

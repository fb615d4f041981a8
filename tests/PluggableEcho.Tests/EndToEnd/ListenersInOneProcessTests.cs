using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using PluggableEcho.Host.Client;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>The real executable serving a line listener and a length-prefixed one at once, each
/// to many clients, each named in the log and in the metrics.</summary>
public sealed partial class ListenersInOneProcessTests
{
    private const int ClientsPerListener = 20;
    private const int MessagesPerClient = 25;

    [Test]
    public async Task A_line_listener_and_a_length_prefixed_one_serve_their_own_clients_side_by_side()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"""
            plugins: {TestPaths.SamplePlugins}
            admin: {"{"} listen: 127.0.0.1:0 {"}"}
            listeners:
              - listen: 127.0.0.1:0
                pipeline: [uppercase]
              - listen: 127.0.0.1:0
                framing: length-prefixed
                pipeline: [reverse]
            """);
        using var server = new HostProcess("--config", config);
        IPEndPoint admin = IPEndPoint.Parse(server.WaitForLine(AdminLine()).Groups[1].Value); // Logged before the listeners.
        var listening = new Dictionary<string, IPEndPoint>();
        while (listening.Count < 2)
        {
            Match line = server.WaitForLine(ListenerLine());
            listening[line.Groups["name"].Value] = IPEndPoint.Parse(line.Groups["address"].Value);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Task<string[]> lines = ConcurrentClients.ExchangeAsync(listening["listener 0"], ClientsPerListener, MessagesPerClient, TimeSpan.FromSeconds(60));
        Task[] framed = [.. Enumerable.Range(0, ClientsPerListener).Select(i => ExchangeFramesAsync(listening["listener 1"], i, timeout.Token))];
        string[] lineReplies = await lines;
        await Task.WhenAll(framed);

        for (int i = 0; i < ClientsPerListener; i++)
        {
            string expected = string.Concat(Enumerable.Range(0, MessagesPerClient).Select(r => $"CLIENT {i} ROUND {r}\n"));
            Assert.That(lineReplies[i], Is.EqualTo(expected), $"line client {i}");
        }

        using var http = new HttpClient { Timeout = TestClient.Timeout };
        MetricsText metrics = MetricsText.Parse(await http.GetStringAsync(new Uri($"http://{admin}/metrics"), timeout.Token));
        foreach (string name in new[] { "listener 0", "listener 1" })
        {
            Assert.That(metrics.Sum("pluggable_echo_message_replied_total", $"listener=\"{name}\""), Is.EqualTo(ClientsPerListener * MessagesPerClient), name);
            Assert.That(metrics.Sum("pluggable_echo_connection_accepted_total", $"listener=\"{name}\""), Is.EqualTo(ClientsPerListener), name);
        }

        Assert.That(server.OutputSoFar, Has.Some.Contains("framing line, pipeline [uppercase]").And.Contains("for listener 0"));
        Assert.That(server.OutputSoFar, Has.Some.Contains("framing length-prefixed, pipeline [reverse]").And.Contains("for listener 1"));
    }

    /// <summary>Sends each message framed, reads its reply, checks it is the message reversed.</summary>
    private static async Task ExchangeFramesAsync(IPEndPoint server, int client, CancellationToken cancel)
    {
        using var connection = new TcpClient { NoDelay = true };
        await connection.ConnectAsync(server, cancel);
        NetworkStream stream = connection.GetStream();
        for (int round = 0; round < MessagesPerClient; round++)
        {
            byte[] message = Encoding.ASCII.GetBytes($"client {client} frame {round}");
            await stream.WriteAsync(LengthPrefix.Prefixed(message), cancel);
            byte[] reply = new byte[4 + message.Length];
            await stream.ReadExactlyAsync(reply, cancel);
            Assert.That(reply, Is.EqualTo(LengthPrefix.Prefixed([.. message.Reverse()])), $"framed client {client}, round {round}");
        }
    }

    [GeneratedRegex(@"(?<name>listener \d+): \d+ loops \(\w+\), listening on (?<address>\S+)$")]
    private static partial Regex ListenerLine();

    [GeneratedRegex(@"admin endpoint on http://(\S+) ")]
    private static partial Regex AdminLine();
}

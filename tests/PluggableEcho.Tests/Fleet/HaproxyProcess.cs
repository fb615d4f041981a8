using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Fleet;

/// <summary>
/// The real HAProxy running the shipped <c>deploy/haproxy/haproxy.cfg</c> in the foreground, its
/// addresses given by the environment as the config asks: free loopback ports, a certificate and
/// the runtime API's socket in the test's folder. Killed when disposed.
/// </summary>
internal sealed class HaproxyProcess : IDisposable
{
    public const string Backend = "pluggable_echo";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _statsSocket;

    private HaproxyProcess(Process process, string statsSocket, IPEndPoint clients, IPEndPoint tlsClients)
    {
        _process = process;
        _statsSocket = statsSocket;
        ClientEndPoint = clients;
        TlsEndPoint = tlsClients;
        _process.OutputDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.ErrorDataReceived += (_, e) => _output.Enqueue(e.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string ShippedConfig => Path.Combine(TestPaths.RepositoryRoot, "deploy", "haproxy", "haproxy.cfg");

    /// <summary>Where clients connect in plain TCP.</summary>
    public IPEndPoint ClientEndPoint { get; }

    /// <summary>Where clients connect in TLS, ended by HAProxy.</summary>
    public IPEndPoint TlsEndPoint { get; }

    /// <summary>What HAProxy has written so far, for a failing test's message.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>Starts HAProxy in front of the servers; returns once it accepts clients.</summary>
    /// <param name="servers">Server <c>echoN</c> of the config is <c>servers[N - 1]</c>: its data
    /// address, and the port of its admin endpoint, which HAProxy checks.</param>
    public static async Task<HaproxyProcess> StartAsync(TempFolder folder, IReadOnlyList<(IPEndPoint Data, int AdminPort)> servers, string config)
    {
        var clients = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        var tlsClients = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        string statsSocket = Path.Combine(folder.Path, "haproxy.sock");
        var start = new ProcessStartInfo(FleetPrograms.Require("haproxy"))
        {
            ArgumentList = { "-f", config, "-db" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ECHO_LISTEN"] = clients.ToString(),
                ["ECHO_TLS_LISTEN"] = tlsClients.ToString(),
                ["ECHO_TLS_PEM"] = await FleetPrograms.SelfSignedPemAsync(folder.Path),
                ["ECHO_STATS_SOCKET"] = statsSocket,
            },
        };
        for (int i = 0; i < servers.Count; i++)
        {
            start.Environment[$"ECHO_BACKEND{i + 1}"] = servers[i].Data.ToString();
            start.Environment[$"ECHO_ADMIN{i + 1}"] = servers[i].AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var haproxy = new HaproxyProcess(Process.Start(start)!, statsSocket, clients, tlsClients);
        try
        {
            await haproxy.WaitUntilAcceptingAsync();
            return haproxy;
        }
        catch
        {
            haproxy.Dispose();
            throw;
        }
    }

    /// <summary>What HAProxy says of a server now: UP, DOWN, or on its way (<c>UP 1/2</c>, ...).</summary>
    public async Task<string> StatusAsync(string server)
    {
        string[] lines = (await RuntimeApiAsync("show stat")).Split('\n');
        string[] header = lines[0].TrimStart('#', ' ').Split(',');
        int status = Array.IndexOf(header, "status");
        return lines.Skip(1).Select(line => line.Split(','))
            .Single(fields => fields.Length > status && fields[0] == Backend && fields[1] == server)[status];
    }

    /// <summary>Waits, at most 10 s, for HAProxy to say <paramref name="status"/> of the server.</summary>
    public async Task WaitForStatusAsync(string server, string status)
    {
        var clock = Stopwatch.StartNew();
        string now;
        while ((now = await StatusAsync(server)) != status)
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), $"HAProxy still says {now} of {server}, not {status}\n{Output}");
            await Task.Delay(50); // Its checks run every 500 ms: asking faster is useless.
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TestClient.Timeout);
        }

        _process.Dispose();
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.That(_process.HasExited, Is.False, $"haproxy exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");
            try
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await probe.ConnectAsync(ClientEndPoint);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>One command of HAProxy's runtime API, on its stats socket; HAProxy closes after the answer.</summary>
    private async Task<string> RuntimeApiAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_statsSocket), timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), timeout.Token);
        using var answer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int received;
        while ((received = await socket.ReceiveAsync(chunk, timeout.Token)) > 0)
        {
            answer.Write(chunk, 0, received);
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }
}

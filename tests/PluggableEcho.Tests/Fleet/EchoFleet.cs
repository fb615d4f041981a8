using System.Net;
using PluggableEcho.Host.Client;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Fleet;

/// <summary>
/// Servers, each the real executable on loopback ports of its own with its admin endpoint, behind
/// the real HAProxy running the shipped config, which sends them a PROXY v2 header. Everything is stopped when disposed.
/// </summary>
internal sealed class EchoFleet : IDisposable
{
    private const int SIGTERM = 15;

    private readonly TempFolder _folder = new();
    private readonly List<string> _configs = [];
    private readonly List<(IPEndPoint Data, int AdminPort)> _addresses = [];
    private readonly List<HostProcess> _servers = [];
    private readonly HttpClient _http = new() { Timeout = TestClient.Timeout };
    private HaproxyProcess? _haproxy;

    public HaproxyProcess Haproxy => _haproxy ?? throw new InvalidOperationException("not started");

    public int Size => _servers.Count;

    /// <summary>Starts the servers and HAProxy; returns once HAProxy has every server up.</summary>
    /// <param name="serverYaml">Config keys of every server, besides its addresses.</param>
    public static async Task<EchoFleet> StartAsync(int size, string serverYaml = "pipeline: [uppercase]\n")
    {
        var fleet = new EchoFleet();
        try
        {
            for (int i = 0; i < size; i++)
            {
                var data = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
                int admin = LoopbackPorts.Free();
                fleet._addresses.Add((data, admin));
                fleet._configs.Add(fleet._folder.Write($"echo{i + 1}.yaml",
                    $"listen: {data}\nproxy_protocol: v2\nadmin: {{ listen: 127.0.0.1:{admin} }}\nlimits: {{ shutdown_timeout: 10s }}\n{serverYaml}"));
                fleet._servers.Add(new HostProcess("--config", fleet._configs[i])); // They start side by side.
            }

            fleet._servers.ForEach(server => server.WaitUntilListening());
            fleet._haproxy = await HaproxyProcess.StartAsync(fleet._folder, fleet._addresses, HaproxyProcess.ShippedConfig);
            for (int i = 0; i < size; i++)
            {
                await fleet.Haproxy.WaitForStatusAsync(Name(i), "UP");
            }

            return fleet;
        }
        catch
        {
            fleet.Dispose();
            throw;
        }
    }

    /// <summary>The config's name for server <paramref name="index"/> (from 0).</summary>
    public static string Name(int index) => $"echo{index + 1}";

    /// <summary>
    /// A rolling restart's step for one server: drain it, wait for HAProxy to take it out, stop it
    /// with SIGTERM (it answers what it has, then ends each connection), start it again on the
    /// same ports, wait for HAProxy to put it back.
    /// </summary>
    /// <returns>The connections it had when told to stop: each one's client sees an end.</returns>
    public async Task<int> RestartAsync(int index)
    {
        Uri admin = new($"http://127.0.0.1:{_addresses[index].AdminPort}");
        using (HttpResponseMessage drained = await _http.PostAsync(new Uri(admin, "/drain"), content: null))
        {
            drained.EnsureSuccessStatusCode();
        }

        await Haproxy.WaitForStatusAsync(Name(index), "DOWN");
        MetricsText metrics = MetricsText.Parse(await _http.GetStringAsync(new Uri(admin, "/metrics")));
        int active = (int)metrics.Sum("pluggable_echo_connection_active");

        HostProcess stopping = _servers[index];
        stopping.SendSignal(SIGTERM);
        Assert.That(await OffThePool(stopping.WaitForExit), Is.Zero, $"{Name(index)} stops cleanly: {stopping.StandardError}");
        stopping.Dispose();

        _servers[index] = new HostProcess("--config", _configs[index]);
        await OffThePool(_servers[index].WaitUntilListening);
        await Haproxy.WaitForStatusAsync(Name(index), "UP");
        return active;
    }

    /// <summary>A wait that blocks, on a thread of its own: on the pool it would hold up the
    /// clients' replies (two cores, two pool threads at first), and a client slow to read is not
    /// what this fleet is tested with.</summary>
    private static Task<T> OffThePool<T>(Func<T> wait) => Task.Factory.StartNew(wait, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose()
    {
        _haproxy?.Dispose();
        _servers.ForEach(server => server.Dispose());
        _http.Dispose();
        _folder.Dispose();
    }
}

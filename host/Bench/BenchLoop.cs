using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Bench;

/// <summary>One client thread: a poller over its share of the connections, the same
/// non-blocking loop the server runs, so the client costs as little as the server.</summary>
internal sealed class BenchLoop : IDisposable
{
    private readonly IPoller _poller = Pollers.Create(Pollers.Resolve(PollerKind.Auto));
    private readonly List<BenchConnection> _connections = [];
    private readonly Dictionary<int, BenchConnection> _byHandle = [];
    private readonly PollEvent[] _fired = new PollEvent[512];
    private readonly byte[] _receiveBuffer = new byte[64 * 1024];
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _clearRequested;

    public BenchStats Stats { get; } = new();

    public void Add(BenchConnection connection)
    {
        _connections.Add(connection);
        _byHandle.Add(connection.Handle, connection);
    }

    public void Start(string name)
    {
        _thread = new Thread(Run) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Starts counting afresh (the warm-up is over). Safe from any thread.</summary>
    public void ClearStats() => _clearRequested = true;

    public void Stop()
    {
        _stopping = true;
        _poller.Wake();
        _thread?.Join();
    }

    public void Dispose()
    {
        foreach (BenchConnection connection in _connections)
        {
            connection.Socket.Dispose();
        }

        _poller.Dispose();
    }

    private void Run()
    {
        foreach (BenchConnection connection in _connections)
        {
            _poller.Add(connection.Socket, connection.Interest);
            connection.Start();
            Update(connection);
        }

        while (!_stopping)
        {
            int count = _poller.Wait(_fired, 100);
            if (_clearRequested)
            {
                _clearRequested = false;
                Stats.Clear();
            }

            for (int i = 0; i < count; i++)
            {
                if (!_byHandle.TryGetValue(_fired[i].Handle, out BenchConnection? connection))
                {
                    continue;
                }

                if ((_fired[i].Readiness & Readiness.Readable) != 0)
                {
                    connection.OnReadable(_receiveBuffer);
                }

                if ((_fired[i].Readiness & Readiness.Writable) != 0 && !connection.Failed)
                {
                    connection.OnWritable();
                }

                Update(connection);
            }
        }
    }

    private void Update(BenchConnection connection)
    {
        if (connection.Failed)
        {
            _byHandle.Remove(connection.Handle);
            _poller.Remove(connection.Socket);
            connection.Socket.Dispose();
            return;
        }

        Readiness wanted = connection.WantsWrite ? Readiness.Readable | Readiness.Writable : Readiness.Readable;
        if (wanted != connection.Interest)
        {
            connection.Interest = wanted;
            _poller.Change(connection.Socket, wanted);
        }
    }
}

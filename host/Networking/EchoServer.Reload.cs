using System.Net;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>How the server takes a new configuration while it runs: made ready off the loops
/// (<see cref="Prepare"/>), then taken by each loop between two events (<see cref="ReconfigureAsync"/>).</summary>
internal sealed partial class EchoServer
{
    /// <summary>
    /// Builds every loop's pipelines for <paramref name="listeners"/> and binds the addresses
    /// not bound yet, without touching what runs. A listener is the one of the same configured
    /// address, else of the same name (its address changed), else new; the ones left over are
    /// removed. One thread at a time, never while the server is being disposed.
    /// </summary>
    /// <exception cref="Errors.StartupException">A step cannot be built.</exception>
    /// <exception cref="ListenFailedException">A new address cannot be bound.</exception>
    public PreparedReconfiguration Prepare(IReadOnlyList<ListenerOptions> listeners, int generationNumber)
    {
        var generation = new ServedGeneration(generationNumber);
        var change = new PreparedReconfiguration(generation, _loops.Length);
        ServedListener[] old = Volatile.Read(ref _served);
        var unmatched = new List<ServedListener>(old);
        int socketsBefore;
        lock (_sockets)
        {
            socketsBefore = _sockets.Count;
        }

        try
        {
            foreach (ListenerOptions options in listeners)
            {
                ServedListener? same = unmatched.FirstOrDefault(s => s.Options.Address.Equals(options.Address))
                    ?? unmatched.FirstOrDefault(s => s.Options.Name == options.Name);
                if (same is null)
                {
                    LoopListener[] perLoop = Serve(options, generation);
                    (IPEndPoint bound, (EventLoop Loop, Acceptor Acceptor)[] acceptors) = Bind(options, perLoop);
                    change.Add(options, perLoop, bound, acceptors, [.. _loops]);
                    continue;
                }

                unmatched.Remove(same);
                IMessagePipeline[] pipelines = [.. _loops.Select(_ => generation.Own(options.CreatePipeline()))];
                if (same.Options.Address.Equals(options.Address))
                {
                    change.Keep(same, options, pipelines, same.Bound);
                    continue;
                }

                (IPEndPoint rebound, (EventLoop Loop, Acceptor Acceptor)[] newAcceptors) = Bind(options, same.PerLoop);
                change.Rebind(same, options, pipelines, rebound, newAcceptors, [.. _loops]);
            }

            unmatched.ForEach(change.Remove);
            return change;
        }
        catch
        {
            lock (_sockets)
            {
                _sockets.Skip(socketsBefore).ToList().ForEach(socket => socket.Dispose());
                _sockets.RemoveRange(socketsBefore, _sockets.Count - socketsBefore);
            }

            generation.LetGo(); // The pipelines built so far.
            throw;
        }
    }

    /// <summary>How long a reload waits for the loops to take it: a loop stuck in a step takes it
    /// once it is free, and holds the old generation until then.</summary>
    public static readonly TimeSpan AdoptionPatience = TimeSpan.FromSeconds(2);

    /// <summary>Has every loop take <paramref name="change"/> between two events: new connections
    /// get its generation at once; the open ones move to it as <paramref name="moveAfter"/> says;
    /// the old generation is let go of once every loop has taken the new one, and ends once its
    /// last connection has moved on or closed.</summary>
    /// <param name="moveAfter">How long open connections keep their pipeline; zero: they move at
    /// their next message boundary.</param>
    public async Task<Reconfigured> ReconfigureAsync(PreparedReconfiguration change, TimeSpan moveAfter)
    {
        Task<bool>[] adopted = [.. _loops.Select((loop, i) => loop.ReconfigureAsync(change.For(i, moveAfter, _options.ShutdownTimeout)))];
        Task<bool[]> all = Task.WhenAll(adopted);
        await Task.WhenAny(all, Task.Delay(AdoptionPatience)).ConfigureAwait(false);
        change.Applied();
        ServedGeneration old = _generation;
        Volatile.Write(ref _served, change.Served);
        Volatile.Write(ref _generation, change.Generation);
        _ = all.ContinueWith(_ => old.LetGo(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        lock (_sockets)
        {
            _sockets.RemoveAll(socket => socket.SafeHandle.IsClosed); // Those of removed and moved listeners.
        }

        return new Reconfigured(
            Stopping: adopted.Any(task => task.IsCompletedSuccessfully && !task.Result),
            Waiting: [.. _loops.Where((_, i) => !adopted[i].IsCompleted).Select(loop => $"{loop.Name} ({loop.DescribeWork()})")],
            Failed: [.. _loops.Where((_, i) => adopted[i].IsFaulted).Select(loop => loop.Name)]);
    }

    /// <summary>How the loops took a reload.</summary>
    /// <param name="Stopping">A loop was stopping and did not take it: the server is going down.</param>
    /// <param name="Waiting">Loops that have not taken it yet (stuck in a step, say), with what they are doing: they will once free.</param>
    /// <param name="Failed">Loops that failed to take it (a bug, logged).</param>
    internal sealed record Reconfigured(bool Stopping, IReadOnlyList<string> Waiting, IReadOnlyList<string> Failed);

    /// <summary>A reload made ready: pipelines built and addresses bound, nothing served yet.
    /// Disposing it before it is applied closes the new sockets and disposes the pipelines.</summary>
    internal sealed class PreparedReconfiguration(ServedGeneration generation, int loops) : IDisposable
    {
        private readonly List<KeptListener>[] _kept = [.. Enumerable.Range(0, loops).Select(_ => new List<KeptListener>())];
        private readonly List<LoopListener>[] _added = [.. Enumerable.Range(0, loops).Select(_ => new List<LoopListener>())];
        private readonly List<LoopListener>[] _removed = [.. Enumerable.Range(0, loops).Select(_ => new List<LoopListener>())];
        private readonly List<LoopListener>[] _rebound = [.. Enumerable.Range(0, loops).Select(_ => new List<LoopListener>())];
        private readonly List<Acceptor>[] _acceptors = [.. Enumerable.Range(0, loops).Select(_ => new List<Acceptor>())];
        private readonly List<ServedListener> _served = [];
        private readonly List<Acceptor> _allAcceptors = [];
        private bool _applied;

        public ServedGeneration Generation => generation;

        /// <summary>What changed about the listeners, one line each: added, removed, moved.</summary>
        public List<string> ListenerChanges { get; } = [];

        internal ServedListener[] Served => [.. _served];

        public void Dispose()
        {
            if (!_applied)
            {
                _applied = true;
                _allAcceptors.ForEach(acceptor => acceptor.Close());
                generation.LetGo();
            }
        }

        internal void Add(ListenerOptions options, LoopListener[] perLoop, IPEndPoint bound, (EventLoop Loop, Acceptor Acceptor)[] acceptors, EventLoop[] loops)
        {
            _served.Add(new ServedListener(options, perLoop, bound));
            for (int i = 0; i < loops.Length; i++)
            {
                _added[i].Add(perLoop[i]);
            }

            AddAcceptors(acceptors, loops);
            ListenerChanges.Add($"{options.Name} added on {bound}");
        }

        internal void Keep(ServedListener same, ListenerOptions options, IMessagePipeline[] pipelines, IPEndPoint bound)
        {
            _served.Add(new ServedListener(options, same.PerLoop, bound));
            for (int i = 0; i < pipelines.Length; i++)
            {
                _kept[i].Add(new KeptListener(same.PerLoop[i], options, pipelines[i]));
            }

            if (same.Options.Name != options.Name)
            {
                ListenerChanges.Add($"{same.Options.Name} on {bound} is now {options.Name}");
            }
        }

        internal void Rebind(ServedListener same, ListenerOptions options, IMessagePipeline[] pipelines, IPEndPoint bound, (EventLoop Loop, Acceptor Acceptor)[] acceptors, EventLoop[] loops)
        {
            Keep(same, options, pipelines, bound);
            for (int i = 0; i < loops.Length; i++)
            {
                _rebound[i].Add(same.PerLoop[i]);
            }

            AddAcceptors(acceptors, loops);
            ListenerChanges.Add($"{options.Name} moved from {same.Bound} to {bound}");
        }

        internal void Remove(ServedListener gone)
        {
            for (int i = 0; i < gone.PerLoop.Length; i++)
            {
                _removed[i].Add(gone.PerLoop[i]);
            }

            ListenerChanges.Add($"{gone.Options.Name} on {gone.Bound} removed: it stops accepting and its clients finish");
        }

        internal LoopReconfiguration For(int loop, TimeSpan moveAfter, TimeSpan shutdownTimeout) =>
            new(_kept[loop], _added[loop], _removed[loop], _rebound[loop], _acceptors[loop], generation, moveAfter, shutdownTimeout);

        internal void Applied() => _applied = true;

        private void AddAcceptors((EventLoop Loop, Acceptor Acceptor)[] acceptors, EventLoop[] loops)
        {
            foreach ((EventLoop loop, Acceptor acceptor) in acceptors)
            {
                _acceptors[Array.IndexOf(loops, loop)].Add(acceptor);
                _allAcceptors.Add(acceptor);
            }
        }
    }
}

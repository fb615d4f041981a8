using System.Diagnostics;
using System.Net.Sockets;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One loop's wait and dispatch, as Redis's <c>ae</c> does it, knowing no clients: it waits in the
/// poller until a socket is ready, a timer is due or work is posted, then hands each fired socket
/// to the handler registered for it, runs the posted work and the due timers. Everything but
/// <see cref="Post"/> is for the loop's own thread, or for the thread that sets the loop up
/// before starting it (starting a thread orders what came before).
/// </summary>
internal sealed class Reactor : IDisposable
{
    private const int MaxEventsPerWait = 512;

    private readonly IPoller _poller;
    private readonly PollEvent[] _fired = new PollEvent[MaxEventsPerWait];
    private readonly PostedWork _posted = new();
    private List<(int Handle, Action Work)> _again = []; // To run next turn, without waiting (loop's thread only).
    private List<(int Handle, Action Work)> _runningAgain = [];
    private readonly long _spinTicks;
    private IReadinessHandler?[] _handlers = new IReadinessHandler?[1024];
    private long _spinUntil;
    // Busy time: what the loop has worked up to its last wait, and since when it works now
    // (0 while it waits), so that a reader sees a loop stuck in a step as busy, not idle.
    private long _busyTicks;
    private long _workingSince = Stopwatch.GetTimestamp();
    private long _busyReported;

    /// <param name="spin">How long to poll without sleeping after activity; zero: never.</param>
    public Reactor(IPoller poller, TimeSpan spin)
    {
        _poller = poller;
        _spinTicks = (long)(spin.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The loop's clock, read at each wake-up: <see cref="Environment.TickCount64"/>.</summary>
    public long Now { get; private set; } = Environment.TickCount64;

    public TimerQueue Timers { get; } = new();

    /// <summary>What the loop does now, for a watchdog on another thread.</summary>
    public LoopActivity Activity { get; } = new();

    /// <summary>How long the loop has spent outside the poller's wait, working: its busy time.
    /// Safe to read from any thread.</summary>
    public TimeSpan Busy
    {
        get
        {
            long busy = Volatile.Read(ref _busyTicks);
            long since = Volatile.Read(ref _workingSince);
            long now = busy + (since == 0 ? 0 : Math.Max(0, Stopwatch.GetTimestamp() - since));

            // A reading that raced the loop's own bookkeeping may be a little ahead of the next
            // one; a counter must never go back (Prometheus would take it for a restart).
            long reported = Volatile.Read(ref _busyReported);
            while (now > reported && Interlocked.CompareExchange(ref _busyReported, now, reported) != reported)
            {
                reported = Volatile.Read(ref _busyReported);
            }

            return Stopwatch.GetElapsedTime(0, Math.Max(now, reported));
        }
    }

    public void Register(Socket socket, Readiness interest, IReadinessHandler handler)
    {
        int handle = (int)socket.Handle;
        if (handle >= _handlers.Length)
        {
            Array.Resize(ref _handlers, Math.Max(_handlers.Length * 2, handle + 1));
        }

        _poller.Add(socket, interest);
        _handlers[handle] = handler;
    }

    public void Change(Socket socket, Readiness interest) => _poller.Change(socket, interest);

    /// <summary>Call it before the socket is closed.</summary>
    public void Unregister(Socket socket)
    {
        _poller.Remove(socket);
        _handlers[(int)socket.Handle] = null;
    }

    /// <summary>Runs <paramref name="work"/> next turn, after the fired sockets, without waiting
    /// for any: for a handler that yielded its turn with work left. Loop's thread only.</summary>
    /// <param name="handle">The handle of the socket whose handler it is: whom the loop works for;
    /// <see cref="OwnWork"/> for the loop's own.</param>
    public void RunNextTurn(int handle, Action work) => _again.Add((handle, work));

    /// <summary>For <see cref="RunNextTurn"/>: work the loop does for no one socket (it shows as its own work).</summary>
    public const int OwnWork = -1;

    /// <summary>The handler registered for this handle, if any. Safe from any thread, for a
    /// report: a handler being replaced meanwhile may show as the old one, or none.</summary>
    public IReadinessHandler? HandlerOf(int handle)
    {
        IReadinessHandler?[] handlers = Volatile.Read(ref _handlers);
        return (uint)handle < (uint)handlers.Length ? Volatile.Read(ref handlers[handle]) : null;
    }

    /// <summary>Runs <paramref name="work"/> on the loop's thread soon. Safe from any thread.</summary>
    /// <returns>False if the loop has ended: the work will never run, and is the caller's to undo.</returns>
    public bool Post(Action work)
    {
        if (!_posted.TryPost(work))
        {
            return false;
        }

        _poller.Wake();
        return true;
    }

    /// <summary>One turn: wait, dispatch the fired sockets, run the posted work and the due timers.
    /// What a handler, a timer or posted work throws goes to the caller: the loop has failed.</summary>
    public void RunOnce()
    {
        Now = Environment.TickCount64;
        Volatile.Write(ref _busyTicks, _busyTicks + (Stopwatch.GetTimestamp() - _workingSince));
        Volatile.Write(ref _workingSince, 0);
        Activity.Rest();
        int count = _poller.Wait(_fired, MillisecondsUntilDue());
        long awake = Stopwatch.GetTimestamp();
        Volatile.Write(ref _workingSince, awake);
        Now = Environment.TickCount64;
        if (count > 0 && _spinTicks > 0)
        {
            _spinUntil = awake + _spinTicks;
        }

        for (int i = 0; i < count; i++)
        {
            PollEvent fired = _fired[i];
            if ((uint)fired.Handle < (uint)_handlers.Length && _handlers[fired.Handle] is { } handler)
            {
                Activity.Enter(fired.Handle);
                handler.OnReady(fired.Readiness);
            }
        }

        if (_again.Count > 0)
        {
            (_again, _runningAgain) = (_runningAgain, _again); // What yields again runs the turn after.
            foreach ((int handle, Action work) in _runningAgain)
            {
                Activity.Enter(handle);
                work();
            }

            _runningAgain.Clear();
        }

        Activity.EnterOwnWork();
        _posted.RunPending();
        Timers.RunDue(Now);
    }

    /// <summary>Refuses further posts and runs those already accepted. The loop's last act.</summary>
    public void End() => _posted.Close();

    public void Dispose() => _poller.Dispose();

    private int MillisecondsUntilDue()
    {
        if (_posted.Any || _again.Count > 0 || (_spinUntil != 0 && Stopwatch.GetTimestamp() < _spinUntil))
        {
            return 0; // Work waits, or still spinning after activity: poll, do not sleep.
        }

        long due = Timers.NextDue;
        return due == long.MaxValue ? -1 : (int)Math.Clamp(due - Now, 0, int.MaxValue);
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// Watches the loops from a thread of its own, since a loop stuck in a step cannot say so itself.
/// A loop seen in one piece of work (a socket's handler: a read's messages, a turn) for longer
/// than the step timeout is reported stuck, once, and again when it moves on; the first step to
/// run out of memory is reported once. It only reads what the loops publish for it
/// (<see cref="LoopActivity"/>, <see cref="LoopListener.OutOfMemory"/>) and never waits for one.
/// </summary>
internal sealed class LoopWatchdog : IDisposable
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(500);

    private readonly Watch[] _watches;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _thread;
    private long _lastLook;
    private bool _outOfMemoryReported;

    /// <param name="stepTimeout">Zero: no loop is ever reported stuck; a step out of memory still is.</param>
    public LoopWatchdog(IReadOnlyList<EventLoop> loops, TimeSpan stepTimeout, ILogger logger)
    {
        _watches = [.. loops.Select(loop => new Watch(loop))];
        _timeout = stepTimeout;
        // An eighth of the timeout: a stuck loop is reported within a quarter of it past the timeout.
        _interval = stepTimeout > TimeSpan.Zero ? TimeSpan.FromTicks(Math.Clamp(stepTimeout.Ticks / 8, MinInterval.Ticks, MaxInterval.Ticks)) : MaxInterval;
        _logger = logger;
        _thread = new Thread(Run) { Name = "echo-watchdog", IsBackground = true };
    }

    /// <summary>Raised on the watchdog's thread when a loop is found stuck, or a step out of memory.</summary>
    public event Action<LoopFault>? Faulted;

    /// <summary>Raised on the watchdog's thread when a loop reported stuck moves on.</summary>
    public event Action<LoopFault>? Recovered;

    /// <summary>Whether the loop is reported stuck now. Safe from any thread.</summary>
    public bool IsStuck(EventLoop loop) => _watches.Any(watch => watch.Loop == loop && Volatile.Read(ref watch.StuckIn) is not null);

    public void Start() => _thread.Start();

    public void Dispose()
    {
        _stopping.Set();
        if (Thread.CurrentThread == _thread)
        {
            return; // From a handler of its own event: it ends after this look.
        }

        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stopping.Dispose();
    }

    private void Run()
    {
        while (!_stopping.Wait(_interval))
        {
            long now = Stopwatch.GetTimestamp();

            // Woken far later than asked, it was paused with the whole process (a long GC, SIGSTOP,
            // a suspended machine), and so were the loops: their clocks start again.
            bool paused = _lastLook != 0 && Stopwatch.GetElapsedTime(_lastLook, now) > 4 * _interval;
            _lastLook = now;
            foreach (Watch watch in _watches)
            {
                if (_timeout > TimeSpan.Zero)
                {
                    LookAt(watch, now, paused);
                }

                LookForOutOfMemory(watch.Loop);
            }
        }
    }

    private void LookAt(Watch watch, long now, bool paused)
    {
        LoopActivity.LoopWork work = watch.Loop.Context.Reactor.Activity.Current;
        if (work.IsIdle || work != watch.Work)
        {
            if (watch.StuckIn is not null)
            {
                Recover(watch, now);
            }

            (watch.Work, watch.Since) = (work, now); // It began since the last look: at most this long ago.
        }
        else if (watch.StuckIn is null && paused)
        {
            watch.Since = now;
        }
        else if (watch.StuckIn is null && Stopwatch.GetElapsedTime(watch.Since, now) >= _timeout)
        {
            Report(watch, work, now);
        }
    }

    private void Report(Watch watch, LoopActivity.LoopWork work, long now)
    {
        string loop = watch.Loop.Name;
        string what = watch.Loop.DescribeWork(work);
        Volatile.Write(ref watch.StuckIn, what);
        Faulted?.Invoke(new LoopFault(loop, LoopFaultKind.Stuck, $"{loop} stuck {what} (longer than step_timeout, {_timeout.TotalSeconds} s)"));
        NetworkLog.LoopStuck(_logger, loop, what, Seconds(watch.Since, now), _timeout.TotalSeconds); // Once the state says so too.
    }

    private void Recover(Watch watch, long now)
    {
        string loop = watch.Loop.Name;
        string what = watch.StuckIn!;
        Volatile.Write(ref watch.StuckIn, null);
        Recovered?.Invoke(new LoopFault(loop, LoopFaultKind.Stuck, $"{loop} runs again"));
        NetworkLog.LoopRecovered(_logger, loop, Seconds(watch.Since, now), what);
    }

    /// <summary>The first step to run out of memory, on any loop: once memory is short, every
    /// loop's steps may fail alike, and one report says it.</summary>
    private void LookForOutOfMemory(EventLoop loop)
    {
        if (_outOfMemoryReported || loop.Listeners.FirstOrDefault(l => l.OutOfMemory is not null) is not { OutOfMemory: { } fault } listener)
        {
            return;
        }

        _outOfMemoryReported = true;
        string step = fault.Step;
        string peer = fault.Peer;
        Faulted?.Invoke(new LoopFault(loop.Name, LoopFaultKind.OutOfMemory, $"{loop.Name}: {step} ran out of memory serving {peer}"));
        NetworkLog.StepOutOfMemory(_logger, loop.Name, step, peer);
    }

    private static double Seconds(long since, long now) => Math.Round(Stopwatch.GetElapsedTime(since, now).TotalSeconds, 2);

    /// <summary>One loop as the watchdog last saw it; its thread's only, but for <see cref="StuckIn"/>.</summary>
    private sealed class Watch(EventLoop loop)
    {
        public readonly EventLoop Loop = loop;
        public LoopActivity.LoopWork Work;
        public long Since; // When the watchdog first saw Work.

        /// <summary>What it is stuck in while reported stuck; null otherwise. Read by any thread.</summary>
        public string? StuckIn;
    }
}

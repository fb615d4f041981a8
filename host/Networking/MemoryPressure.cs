using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One loop's side of <c>max_buffered_bytes</c>, as Redis's <c>maxmemory-clients</c> and Envoy's
/// overload manager do it. While the loop's buffers hold more than its share, a connection that
/// holds any buffer is not read, so that nothing grows, while clients that hold nothing (between
/// messages) are still served, until it is back at its low water (<see cref="BufferBudget.LowWater"/>).
/// <see cref="ShedAfter"/> after it went over, if it is not back there (it hovers at the limit
/// while the holders wait), the connections holding the most are ended, the largest first, until
/// it is. Loop's thread only.
/// </summary>
internal sealed class MemoryPressure
{
    /// <summary>How long the loop may stay over its share before it ends the largest holders:
    /// long enough for a burst to drain, short enough that hoarders cannot wait it out.</summary>
    public static readonly TimeSpan ShedAfter = TimeSpan.FromSeconds(1);

    private readonly Reactor _reactor;
    private readonly ConnectionTable _connections;
    private readonly ILogger _logger;
    private readonly List<Connection> _waiting = [];
    private readonly LoopTimer _shed;
    private readonly Action _resume;
    private bool _resumeBooked;

    /// <param name="limit">The loop's share of the budget, in bytes; long.MaxValue: none.</param>
    public MemoryPressure(long limit, Reactor reactor, ConnectionTable connections, ILogger logger)
    {
        _reactor = reactor;
        _connections = connections;
        _logger = logger;
        _shed = new LoopTimer(ShedLargest);
        _resume = Resume;
        Budget = new BufferBudget(limit) { PressureChanged = OnPressureChanged };
    }

    public BufferBudget Budget { get; }

    public bool Exceeded => Budget.Exceeded;

    /// <summary>This connection is not read until the pressure is over: it is told then
    /// (<see cref="Connection.ResumeAfterPressure"/>).</summary>
    public void Wait(Connection connection) => _waiting.Add(connection);

    private void OnPressureChanged(bool exceeded)
    {
        if (exceeded)
        {
            if (!_shed.IsScheduled)
            {
                NetworkLog.BufferBudgetExceeded(_logger, Budget.Held, Budget.Limit, ShedAfter.TotalSeconds);
                _reactor.Timers.Schedule(_shed, _reactor.Now + (long)ShedAfter.TotalMilliseconds);
            }

            return;
        }

        _reactor.Timers.Cancel(_shed); // Back at its low water: that episode is over.
        if (_waiting.Count > 0 && !_resumeBooked)
        {
            // Not from here: a buffer is being given back in the middle of some connection's work.
            _resumeBooked = true;
            _reactor.RunNextTurn(Reactor.OwnWork, _resume);
        }
    }

    private void Resume()
    {
        _resumeBooked = false;
        if (Exceeded)
        {
            return; // Over again already: they wait on.
        }

        Connection[] waiting = [.. _waiting];
        _waiting.Clear();
        foreach (Connection connection in waiting)
        {
            connection.ResumeAfterPressure();
        }
    }

    private void ShedLargest()
    {
        if (!Exceeded)
        {
            return; // A burst, over by now.
        }

        long held = Budget.Held;
        Connection[] holders = _connections.Snapshot();
        Array.Sort(holders, static (a, b) => b.HeldBytes.CompareTo(a.HeldBytes));
        int ended = 0;
        for (int i = 0; i < holders.Length && Exceeded && holders[i].HeldBytes > 0; i++)
        {
            holders[i].Shed();
            ended++;
        }

        NetworkLog.BufferBudgetShed(_logger, held, Budget.Limit, ShedAfter.TotalSeconds, ended, Budget.Held);
    }
}

namespace PluggableEcho.Host.Networking;

/// <summary>
/// How a loop stops: it closes its listening sockets, lets each connection finish answering
/// what its client sent, and ends once the last one has closed or the shutdown timeout has passed.
/// </summary>
internal sealed class LoopDrain(LoopContext loop, long timeoutMilliseconds)
{
    private readonly LoopTimer _deadlineTimer = new(static () => { }); // Only wakes the loop.
    private long _deadline;

    public bool IsComplete => loop.Stopping && (loop.Connections.Count == 0 || loop.Reactor.Now >= _deadline);

    public void Begin(IEnumerable<Acceptor> acceptors)
    {
        if (loop.Stopping)
        {
            return;
        }

        loop.Stopping = true;
        _deadline = loop.Reactor.Now + timeoutMilliseconds;
        loop.Reactor.Timers.Schedule(_deadlineTimer, _deadline);
        foreach (Acceptor acceptor in acceptors)
        {
            acceptor.Close();
        }

        foreach (Connection connection in loop.Connections.Snapshot())
        {
            loop.Reactor.Activity.Enter(connection.Handle); // It may run steps: a stuck one is pinned on its connection.
            connection.BeginDrain();
        }

        loop.Reactor.Activity.EnterOwnWork();
    }
}

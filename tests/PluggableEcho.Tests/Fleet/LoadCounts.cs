using System.Collections.Concurrent;

namespace PluggableEcho.Tests.Fleet;

/// <summary>What the clients of a load saw, all of them together; safe to count from any thread.</summary>
internal sealed class LoadCounts
{
    private long _sent;
    private long _answered;
    private long _endedByServer;
    private long _reconnects;
    private long _failures;

    /// <summary>The first few failures, said in words, for the test's message.</summary>
    public ConcurrentQueue<string> FailureNotes { get; } = new();

    /// <summary>Lines written, resent ones included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Replies read, each exactly the line it answers.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Connections the server side ended cleanly (an end of stream after whole replies).</summary>
    public long EndedByServer => Interlocked.Read(ref _endedByServer);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Resets, truncated or wrong replies, replies that did not come in time.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void CountSent() => Interlocked.Increment(ref _sent);

    public void CountAnswered() => Interlocked.Increment(ref _answered);

    public void CountEndedByServer() => Interlocked.Increment(ref _endedByServer);

    public void CountReconnect() => Interlocked.Increment(ref _reconnects);

    public void CountFailure(string note)
    {
        if (Interlocked.Increment(ref _failures) <= 10)
        {
            FailureNotes.Enqueue(note);
        }
    }

    public override string ToString() =>
        $"lines sent {Sent} (resends included), answered {Answered}, connections ended by the server {EndedByServer}, "
        + $"reconnects {Reconnects}, failures (resets, truncated or wrong replies, timeouts) {Failures}";
}

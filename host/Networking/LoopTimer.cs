namespace PluggableEcho.Host.Networking;

/// <summary>A deadline one owner keeps on its loop's <see cref="TimerQueue"/>: at most one pending
/// due time, moved or cancelled in place.</summary>
internal sealed class LoopTimer(Action fire)
{
    /// <summary>When it fires, in <see cref="Environment.TickCount64"/> milliseconds.</summary>
    public long Due { get; internal set; }

    /// <summary>Its place in the queue's heap; -1 while not scheduled.</summary>
    internal int Index { get; set; } = -1;

    public bool IsScheduled => Index >= 0;

    internal void Fire() => fire();
}

namespace PluggableEcho.Host.Networking;

/// <summary>What the watchdog found wrong with a loop, for whoever decides what it means for the process.</summary>
/// <param name="Loop">Its name: <c>echo-loop-1</c>.</param>
/// <param name="Reason">One line, for a readiness probe: what is wrong, in which step, for whom.</param>
internal sealed record LoopFault(string Loop, LoopFaultKind Kind, string Reason)
{
    /// <summary>Which fault of which loop: a recovery ends the fault of the same source.</summary>
    public string Source => $"{Loop} {Kind}";
}

internal enum LoopFaultKind
{
    /// <summary>In one step, or one handler, for longer than the step timeout; it may come back.</summary>
    Stuck,

    /// <summary>A step threw <see cref="OutOfMemoryException"/>: memory a plugin leaked does not come back.</summary>
    OutOfMemory,
}

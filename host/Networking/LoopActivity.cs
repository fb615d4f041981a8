namespace PluggableEcho.Host.Networking;

/// <summary>
/// What a loop is doing, published for a watchdog on another thread at the cost of one plain
/// 64-bit store per piece of work: idle (waiting in the poller, or ended), in its own work
/// (timers, posted work), or in the handler of one socket. Each piece of work gets a new number, so that the watchdog
/// can tell one long piece of work from many short ones for the same socket. No clock is read:
/// the watchdog times what it sees unchanged.
/// </summary>
internal sealed class LoopActivity
{
    // The low 32 bits say what; the high 32 bits number the piece of work.
    private const long Idle = 0;
    private const long OwnWork = 1;
    private const long FirstHandle = 2;

    private long _count; // Loop's thread only.
    private long _published;

    /// <summary>What the loop does now. Safe from any thread.</summary>
    public LoopWork Current => new(Volatile.Read(ref _published));

    /// <summary>Loop's thread: about to wait in the poller, or ended.</summary>
    public void Rest() => Volatile.Write(ref _published, Idle);

    /// <summary>Loop's thread: about to run its timers or the work posted to it.</summary>
    public void EnterOwnWork() => Publish(OwnWork);

    /// <summary>Loop's thread: about to run the handler of the socket with this handle.</summary>
    public void Enter(int handle) => Publish(FirstHandle + handle);

    private void Publish(long what) => Volatile.Write(ref _published, unchecked(++_count << 32) | what);

    /// <summary>One reading of <see cref="LoopActivity"/>; equal readings are the same piece of work.</summary>
    internal readonly record struct LoopWork(long Published)
    {
        public bool IsIdle => Published == Idle;

        public bool IsOwnWork => (Published & uint.MaxValue) == OwnWork;

        /// <summary>The socket whose handler runs; -1 when none does.</summary>
        public int Handle => IsIdle || IsOwnWork ? -1 : (int)((Published & uint.MaxValue) - FirstHandle);
    }
}

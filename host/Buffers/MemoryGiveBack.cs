using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Buffers;

/// <summary>
/// Gives memory back to the system once a crowd of clients has let go of its buffers. The GC
/// collects when the program allocates; a server that goes quiet after hostile clients leave
/// allocates next to nothing, so their garbage, and the heap it grew into, would stay resident
/// for good. Once a second this looks at what the loops' buffers hold: when that has fallen by
/// more than <see cref="Drop"/> from its peak, and to under half of it, two looks running (not in
/// the middle of a fall), the loops' pools let go of the arrays they keep, and one full compacting
/// collection hands the free heap back; at most once every ten looks, since it pauses every
/// loop for as long as it takes. Off the loops.
/// </summary>
internal sealed partial class MemoryGiveBack : IDisposable
{
    /// <summary>Less than this is not worth a full collection.</summary>
    public const long Drop = 64L << 20;

    private const int LooksToConfirm = 2;
    private const int LooksBetweenCollections = 10;

    private readonly IReadOnlyList<BufferBudget> _budgets;
    private readonly ILogger _logger;
    private readonly TimeSpan _period;
    private readonly Timer _timer;
    private long _peak;
    private int _fallenLooks;
    private int _looksSinceCollection = LooksBetweenCollections;
    private int _looks;
    private int _collections;

    /// <param name="period">How often it looks: a second, or less in a test.</param>
    public MemoryGiveBack(IReadOnlyList<BufferBudget> budgets, ILogger logger, TimeSpan? period = null)
    {
        _budgets = budgets;
        _logger = logger;
        _period = period ?? TimeSpan.FromSeconds(1);
        _timer = new Timer(_ => Look(), null, _period, Timeout.InfiniteTimeSpan);
    }

    /// <summary>How many times it has looked, and collected: for tests.</summary>
    public int Looks => Volatile.Read(ref _looks);

    public int Collections => Volatile.Read(ref _collections);

    public void Dispose() => _timer.Dispose();

    private void Look()
    {
        try
        {
            long held = _budgets.Sum(budget => budget.Held);
            _peak = Math.Max(_peak, held);
            _fallenLooks = _peak - held >= Drop && held < _peak / 2 ? _fallenLooks + 1 : 0;
            _looksSinceCollection++;
            if (_fallenLooks >= LooksToConfirm && _looksSinceCollection >= LooksBetweenCollections)
            {
                GiveBack(held);
            }

            Interlocked.Increment(ref _looks);
        }
        finally
        {
            try
            {
                _timer.Change(_period, Timeout.InfiniteTimeSpan); // One look at a time, however long a collection takes.
            }
            catch (ObjectDisposedException)
            {
                // The server has stopped.
            }
        }
    }

    private void GiveBack(long held)
    {
        long before = Environment.WorkingSet;
        foreach (BufferBudget budget in _budgets)
        {
            budget.Pool.Trim();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Interlocked.Increment(ref _collections);
        Collected(_logger, _peak >> 20, held >> 20, before >> 20, Environment.WorkingSet >> 20);
        _peak = held;
        _fallenLooks = 0;
        _looksSinceCollection = 0;
    }

    [LoggerMessage(EventId = 123, Level = LogLevel.Information, Message = "connections' buffers fell from {Peak} MiB to {Held} MiB: collected the heap they leave, working set {Before} MiB -> {After} MiB")]
    private static partial void Collected(ILogger logger, long peak, long held, long before, long after);
}

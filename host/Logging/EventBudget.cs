using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Logging;

/// <summary>
/// How many lines each kind of event (a category and an event id) may write per window: the rest
/// are counted, and said in one line when the window is over, so that a client that makes every
/// message fail costs the log a few lines a second, not one per message. Safe from any thread.
/// </summary>
internal sealed class EventBudget(int linesPerWindow, TimeSpan window, Func<long>? clock = null)
{
    private readonly Dictionary<(string Category, int EventId), Account> _accounts = [];
    private readonly Func<long> _clock = clock ?? (() => Environment.TickCount64);
    private readonly long _window = (long)window.TotalMilliseconds;

    public TimeSpan Window => window;

    /// <summary>Whether this event may be written now.</summary>
    /// <param name="level">Its level: the summary of suppressed events is written at the highest.</param>
    public bool TryTake(string category, int eventId, LogLevel level = LogLevel.Information)
    {
        long now = _clock();
        lock (_accounts)
        {
            if (!_accounts.TryGetValue((category, eventId), out Account? account))
            {
                _accounts[(category, eventId)] = account = new Account(now);
            }

            if (now - account.WindowStart >= _window && account.Suppressed == 0)
            {
                account.WindowStart = now;
                account.Taken = 0;
            }

            if (account.Taken < linesPerWindow)
            {
                account.Taken++;
                return true;
            }

            account.Suppressed++;
            account.Level = (LogLevel)Math.Max((int)account.Level, (int)level);
            return false;
        }
    }

    /// <summary>The kinds whose window is over with events suppressed in it, how many, and the
    /// highest level among them; their windows start afresh.</summary>
    /// <param name="all">At the end: every kind with events suppressed, its window over or not.</param>
    public List<(string Category, int EventId, long Suppressed, LogLevel Level)> TakeSuppressed(bool all = false)
    {
        long now = _clock();
        var over = new List<(string, int, long, LogLevel)>();
        lock (_accounts)
        {
            foreach (((string category, int eventId), Account account) in _accounts)
            {
                if (account.Suppressed > 0 && (all || now - account.WindowStart >= _window))
                {
                    over.Add((category, eventId, account.Suppressed, account.Level));
                    account.Suppressed = 0;
                    account.Level = LogLevel.Trace;
                    account.Taken = 0;
                    account.WindowStart = now;
                }
            }
        }

        return over;
    }

    private sealed class Account(long windowStart)
    {
        public long WindowStart { get; set; } = windowStart;

        public int Taken { get; set; }

        public long Suppressed { get; set; }

        public LogLevel Level { get; set; } = LogLevel.Trace;
    }
}

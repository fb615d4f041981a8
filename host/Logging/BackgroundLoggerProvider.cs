using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Logging;

/// <summary>
/// Puts a logger between the server and a slow writer (a console whose reader has stopped, a
/// blocked log driver): events are formatted where they happen, queued, and written by a thread
/// of their own. A full queue drops the event and counts it; an event kind over its
/// <see cref="EventBudget"/> is counted and summed up in one line. Neither ever makes the caller
/// wait, so an event loop that logs is never held up by the log.
/// </summary>
internal sealed partial class BackgroundLoggerProvider : ILoggerProvider
{
    private readonly ILoggerFactory _writer;
    private readonly EventBudget _budget;
    private readonly BlockingCollection<Entry> _queue;
    private readonly Thread _thread;
    private readonly Meter _meter = new("PluggableEcho");
    private long _dropped;
    private long _suppressed;

    /// <param name="writer">Where events are finally written, from the background thread only.</param>
    public BackgroundLoggerProvider(ILoggerFactory writer, EventBudget budget, int capacity = 10_000)
    {
        _writer = writer;
        _budget = budget;
        _queue = new BlockingCollection<Entry>(capacity);
        _meter.CreateObservableCounter("pluggable_echo.log.dropped", () => Volatile.Read(ref _dropped), "{event}", "Log events dropped because the log could not keep up");
        _meter.CreateObservableCounter("pluggable_echo.log.suppressed", () => Volatile.Read(ref _suppressed), "{event}", "Log events left out because their kind logged too often");
        _thread = new Thread(Write) { Name = "log-writer", IsBackground = true };
        _thread.Start();
    }

    public long Dropped => Volatile.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => new QueuedLogger(this, categoryName, _writer.CreateLogger(categoryName));

    /// <summary>Writes what is queued, then stops. A writer that stays blocked is given up on after a while.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(2));
        _writer.Dispose();
        _meter.Dispose();
    }

    /// <summary>Before the event is formatted: one over budget costs its caller next to nothing.</summary>
    private bool WithinBudget(string category, EventId eventId, LogLevel level)
    {
        if (_budget.TryTake(category, eventId.Id, level))
        {
            return true;
        }

        Interlocked.Increment(ref _suppressed);
        return false;
    }

    private void Enqueue(Entry entry)
    {
        try
        {
            if (_queue.TryAdd(entry))
            {
                return;
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed: the process is ending.
        }

        Interlocked.Increment(ref _dropped);
    }

    private void Write()
    {
        while (!_queue.IsCompleted)
        {
            try
            {
                if (_queue.TryTake(out Entry entry, _budget.Window))
                {
                    entry.Logger.Log(entry.Level, entry.EventId, entry.State, entry.Exception, static (state, _) => state.Message);
                }

                WriteSummaries(all: false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The output is gone (a closed pipe) or a formatter failed: this event is lost,
                // the log goes on; an exception here would end the whole process.
                Interlocked.Increment(ref _dropped);
            }
        }

        try
        {
            WriteSummaries(all: true); // What was suppressed in the last window, before the end.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private void WriteSummaries(bool all)
    {
        double seconds = _budget.Window.TotalSeconds;
        foreach ((string category, int eventId, long suppressed, LogLevel level) in _budget.TakeSuppressed(all))
        {
            ILogger logger = _writer.CreateLogger(category);
            LogSuppressed(logger, level, eventId, suppressed, seconds);
        }
    }

    [LoggerMessage(Message = "{Count} similar events (event id {EventId}) suppressed in the last {Seconds} s")]
    private static partial void LogSuppressed(ILogger logger, LogLevel level, int eventId, long count, double seconds);

    private readonly record struct Entry(ILogger Logger, string Category, LogLevel Level, EventId EventId, LoggedState State, Exception? Exception);

    private sealed class QueuedLogger(BackgroundLoggerProvider provider, string category, ILogger writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => writer.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel) && provider.WithinBudget(category, eventId, logLevel))
            {
                provider.Enqueue(new Entry(writer, category, logLevel, eventId, LoggedState.Of(state, formatter(state, exception)), exception));
            }
        }
    }

    /// <summary>The event's message and its named values, copied: the state may not outlive the call.</summary>
    private sealed class LoggedState(string message, KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message => message;

        public int Count => values.Length;

        public KeyValuePair<string, object?> this[int index] => values[index];

        /// <summary>Numbers, text and the like as they are; anything else as its text now, not
        /// later on the writer's thread, when the object may have changed.</summary>
        public static LoggedState Of<TState>(TState state, string message) =>
            new(message, state is IEnumerable<KeyValuePair<string, object?>> named ? [.. named.Select(Captured)] : []);

        private static KeyValuePair<string, object?> Captured(KeyValuePair<string, object?> value) => value.Value switch
        {
            null or string or bool or int or long or double or float or decimal or short or byte or uint or ulong or Enum => value,
            var other => new(value.Key, other.ToString()),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message;
    }
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Tests.Support;

/// <summary>What a server in this process logs, kept so that a test can wait for an event
/// rather than sleep: its id and its message as written.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly List<(int EventId, string Message)> _events = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    /// <summary>The messages of the events with this id, so far.</summary>
    public IReadOnlyList<string> Messages(int eventId)
    {
        lock (_events)
        {
            return [.. _events.Where(e => e.EventId == eventId).Select(e => e.Message)];
        }
    }

    /// <summary>Waits, up to the time a test allows, for the first event with this id.</summary>
    public string WaitFor(int eventId) => WaitFor(eventId, count: 1);

    /// <summary>Waits, up to the time a test allows, for the <paramref name="count"/>th event with this id.</summary>
    public string WaitFor(int eventId, int count)
    {
        var clock = Stopwatch.StartNew();
        lock (_events)
        {
            while (true)
            {
                if (_events.Where(e => e.EventId == eventId).Skip(count - 1).FirstOrDefault() is { Message: { } message })
                {
                    return message;
                }

                TimeSpan left = TestClient.Timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_events, left))
                {
                    throw new TimeoutException($"no event {eventId} logged within {TestClient.Timeout}");
                }
            }
        }
    }

    public void Dispose()
    {
    }

    private void Add(int eventId, string message)
    {
        lock (_events)
        {
            _events.Add((eventId, message));
            Monitor.PulseAll(_events);
        }
    }

    private sealed class Logger(CapturedLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                log.Add(eventId.Id, formatter(state, exception));
            }
        }
    }
}

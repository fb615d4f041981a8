using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Logging;

namespace PluggableEcho.Tests.Logging;

public sealed class BackgroundLoggerTests
{
    [Test]
    public void A_writer_that_blocks_never_makes_the_caller_wait_and_what_does_not_fit_is_counted()
    {
        using var blocked = new ManualResetEventSlim();
        var writer = new BlockingWriter(blocked);
        var provider = new BackgroundLoggerProvider(LoggerFactory.Create(b => b.AddProvider(writer)), new EventBudget(int.MaxValue, TimeSpan.FromSeconds(1)), capacity: 100);
        try
        {
            ILogger logger = provider.CreateLogger("test");
            var logging = Task.Run(() =>
            {
                for (int i = 0; i < 10_000; i++)
                {
                    logger.LogWarning("event {Number}", i);
                }
            });

            Assert.That(logging.Wait(Support.TestClient.Timeout), Is.True, "logging went on while the writer was stuck");
            Assert.That(provider.Dropped, Is.InRange(10_000 - 101, 10_000 - 100), "the queue holds 100, the writer has one");
        }
        finally
        {
            blocked.Set();
            provider.Dispose();
        }

        Assert.That(writer.Written, Is.InRange(100, 101), "what was queued is written once the writer moves again");
    }

    private sealed class BlockingWriter(ManualResetEventSlim gate) : ILoggerProvider, ILogger
    {
        private int _written;

        public int Written => Volatile.Read(ref _written);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            gate.Wait();
            Interlocked.Increment(ref _written);
        }

        public void Dispose()
        {
        }
    }
}

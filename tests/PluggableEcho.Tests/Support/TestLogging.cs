using Microsoft.Extensions.Logging;

namespace PluggableEcho.Tests.Support;

/// <summary>Logs into the test's output, so a failing test shows what the server said.</summary>
internal static class TestLogging
{
    /// <param name="captured">Also logs there, for a test that waits for an event.</param>
    public static ILoggerFactory Create(CapturedLog? captured = null) => LoggerFactory.Create(logging =>
    {
        logging.SetMinimumLevel(LogLevel.Information).AddSimpleConsole(console => console.SingleLine = true);
        if (captured is not null)
        {
            logging.AddProvider(captured);
        }
    });
}

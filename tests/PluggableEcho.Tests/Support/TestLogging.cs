using Microsoft.Extensions.Logging;

namespace PluggableEcho.Tests.Support;

/// <summary>Logs into the test's output, so a failing test shows what the server said.</summary>
internal static class TestLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(console => console.SingleLine = true));
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace PluggableEcho.Host.Cli;

/// <summary>How the commands talk to the terminal: problems on standard error, logs one line each.</summary>
internal static class CliConsole
{
    public const LogLevel DefaultLogLevel = LogLevel.Information;

    public static void PrintProblems(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            Console.Error.WriteLine($"error: {problem}");
        }
    }

    /// <param name="toStandardError">For commands whose standard output is their result.</param>
    public static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, bool toStandardError)
    {
        logging.ClearProviders()
            .SetMinimumLevel(level)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        if (toStandardError)
        {
            logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }
    }

    /// <summary>A logger factory for the commands that need no host: their logs go to standard error.</summary>
    public static ILoggerFactory CreateLoggerFactory(LogLevel level) =>
        LoggerFactory.Create(logging => ConfigureLogging(logging, level, toStandardError: true));
}

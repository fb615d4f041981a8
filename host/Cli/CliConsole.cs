using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>How the commands talk to the terminal: problems on standard error, logs one line each.</summary>
internal static class CliConsole
{
    public const LogLevel DefaultLogLevel = LogLevel.Information;

    public static void PrintProblems(IEnumerable<string> problems) => Print("error", problems);

    /// <summary>What did not stop the command, but is worth knowing.</summary>
    public static void PrintWarnings(IEnumerable<string> warnings) => Print("warning", warnings);

    /// <summary>Why start-up stopped: its warnings, then its problems.</summary>
    public static void PrintProblems(StartupException e)
    {
        PrintWarnings(e.Warnings);
        PrintProblems(e.Problems);
    }

    private static void Print(string kind, IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            System.Console.Error.WriteLine($"{kind}: {line}");
        }
    }

    // Each kind of event (category and event id) writes at most this many lines per window.
    private const int LinesPerWindow = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <param name="toStandardError">For commands whose standard output is their result.</param>
    /// <remarks>Events are written by a thread of their own, never by the thread that logs: a
    /// console nobody reads drops events (counted), it does not stall the server.</remarks>
    public static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, bool toStandardError, LogFormat format = LogFormat.Text)
    {
        logging.ClearProviders().SetMinimumLevel(level);
        logging.Services.AddSingleton<ILoggerProvider>(_ => new BackgroundLoggerProvider(Console(format, toStandardError), new EventBudget(LinesPerWindow, Window)));
    }

    private static ILoggerFactory Console(LogFormat format, bool toStandardError) => LoggerFactory.Create(console =>
    {
        console.SetMinimumLevel(LogLevel.Trace); // The outer logger has filtered already.
        if (format == LogFormat.Json)
        {
            console.AddJsonConsole(json =>
            {
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                json.UseUtcTimestamp = true;
            });
        }
        else
        {
            console.AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.TimestampFormat = "HH:mm:ss ";
            });
        }

        if (toStandardError)
        {
            console.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        }
    });

    /// <summary>A logger factory for the commands that need no host: their logs go to standard error.</summary>
    public static ILoggerFactory CreateLoggerFactory(LogLevel level) =>
        LoggerFactory.Create(logging => ConfigureLogging(logging, level, toStandardError: true));
}

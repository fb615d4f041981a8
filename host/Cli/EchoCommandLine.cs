using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Cli;

/// <summary>
/// The command line: <c>run</c> (the default), <c>check</c>, <c>test</c>, <c>plugins</c> and
/// <c>client</c>, <c>bench</c>, <c>stats</c> and <c>reload</c>, each with its <c>--help</c>. A command line that does not parse exits 2.
/// </summary>
internal static class EchoCommandLine
{
    private const string Name = "pluggable-echo";

    public static RootCommand Create()
    {
        var root = new RootCommand("""
            A TCP server that sends every message back through a pipeline of plugin transforms.
            With no command it runs the server, as 'run' does.
            """);
        Option<LogLevel?> logLevel = CommonOptions.LogLevel();
        root.Add(logLevel);
        RunCommand.AddTo(root, logLevel);
        root.Add(RunCommand.Create(logLevel));
        root.Add(CheckCommand.Create(logLevel));
        root.Add(TestCommand.Create(logLevel));
        root.Add(PluginsCommand.Create(logLevel));
        root.Add(ClientCommand.Create());
        root.Add(BenchCommand.Create());
        root.Add(StatsCommand.Create());
        root.Add(ReloadCommand.Create());
        return root;
    }

    public static async Task<int> InvokeAsync(string[] args)
    {
        RootCommand root = Create();
        ParseResult parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (ParseError error in parsed.Errors)
            {
                Console.Error.WriteLine($"error: {error.Message}");
            }

            Console.Error.WriteLine();
            ShowHelp(parsed.CommandResult, Console.Error);
            return ExitCodes.BadCommandLine;
        }

        // Signals are each command's own business: run stops on its own terms, a second one kills.
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(invocation).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug of ours, not a mistake of the user's: one line says what; at debug, where too.
            LogLevel? level = parsed.GetValue(root.Options.OfType<Option<LogLevel?>>().Single());
            Console.Error.WriteLine(level <= LogLevel.Debug
                ? $"error: unexpected {e}"
                : $"error: unexpected {e.GetType().Name}: {e.Message} (--log-level debug shows where)");
            return ExitCodes.Failed;
        }
    }

    /// <summary>Prints the help of the command that was being parsed.</summary>
    private static void ShowHelp(CommandResult command, TextWriter output)
    {
        var path = new List<string>();
        for (SymbolResult? result = command; result is CommandResult { Parent: not null } named; result = named.Parent)
        {
            path.Insert(0, named.Command.Name);
        }

        path.Add("--help");
        Create().Parse(path).Invoke(new InvocationConfiguration { Output = output });
    }
}

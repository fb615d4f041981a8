using System.CommandLine;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Testing;

namespace PluggableEcho.Host.Cli;

/// <summary><c>test CASES.yaml</c>: transcript tests of pipelines, run in process.</summary>
internal static class TestCommand
{
    private const string Description = """
        Run transcript tests in process, through the real framer and pipeline: each case names a
        config (or writes it inline), the chunks a client sends, and the exact reply it gets.
        Exit codes: 0 every case passed, 1 a case failed or the cases file is wrong, 2 bad command line.
        """;

    public static Command Create(Option<LogLevel?> logLevel)
    {
        var cases = new Argument<string>("CASES.yaml") { Description = "the cases file" };
        CommonOptions.RefuseEmpty(cases, "a cases file");
        var command = new Command("test", Description) { cases };
        command.SetAction(parsed => Run(parsed.GetValue(cases)!, parsed.GetValue(logLevel)));
        return command;
    }

    private static int Run(string path, LogLevel? logLevel)
    {
        IReadOnlyList<TranscriptCase> cases;
        try
        {
            cases = CaseFile.Read(path);
        }
        catch (StartupException e)
        {
            CliConsole.PrintProblems(e.Problems);
            return ExitCodes.Failed;
        }

        // Failing steps are what some cases are about: only worse than warnings is worth showing.
        using ILoggerFactory logging = CliConsole.CreateLoggerFactory(logLevel ?? LogLevel.Error);
        using var runner = new CaseRunner(logging, EchoHost.BundledPluginFolder);
        int failed = 0;
        foreach (TranscriptCase test in cases)
        {
            CaseResult result = runner.Run(test);
            Console.WriteLine(result.Passed ? $"PASS  {test.Name}" : $"FAIL  {test.Name} ({test.Where})");
            foreach (string detail in result.Details)
            {
                Console.WriteLine($"      {detail}");
            }

            failed += result.Passed ? 0 : 1;
        }

        Console.WriteLine($"cases: {cases.Count - failed} passed, {failed} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }
}

using System.CommandLine;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Host.Testing;

namespace PluggableEcho.Host.Cli;

/// <summary><c>check</c>: everything <c>run</c> does before it listens, and then stops.</summary>
internal static class CheckCommand
{
    private const string Description = """
        Load the config and plugins and build the pipeline, without a socket: print OK, or every
        problem (file:line:column); what is not loaded from the plugins folder is a warning while
        the pipeline does not need it. --input also sends text through framer and pipeline, as a
        client that then closes its sending side, and prints the reply after OK, byte for byte.
        Exit codes: 0 OK, 1 a problem was found, 2 bad command line.
        """;

    public static Command Create(Option<LogLevel?> logLevel)
    {
        Option<string?> config = CommonOptions.Config();
        var input = new Option<string?>("--input")
        {
            Description = "text a client sends (in the shell, $'a\\nb\\n' holds newlines); '-' sends standard input as it is",
            HelpName = "TEXT",
        };
        var command = new Command("check", Description) { config, input };
        command.SetAction(parsed => Run(parsed.GetValue(config), parsed.GetValue(input), parsed.GetValue(logLevel)));
        return command;
    }

    private static int Run(string? configPath, string? input, LogLevel? logLevel)
    {
        try
        {
            ServerSettings settings = ConfigLoader.Load(configPath, EchoHost.BundledPluginFolder);
            using ILoggerFactory logging = CliConsole.CreateLoggerFactory(logLevel ?? settings.LogLevel ?? CliConsole.DefaultLogLevel);
            using PluginSet plugins = PluginSet.Load(settings.PluginFolder, logging);
            IReadOnlyList<IReadOnlyList<StepPlan>> bound = StepBinder.BindAll(settings, plugins);
            CliConsole.PrintWarnings(plugins.Warnings); // Not needed by the pipeline, as run warns.

            // Every listener's pipeline, as run builds them; the first's answers --input.
            List<TransformPipeline> pipelines = [];
            using var built = new DisposeAll(pipelines);
            foreach (IReadOnlyList<StepPlan> plans in bound)
            {
                pipelines.Add(new PipelineFactory(plans, logging).Create());
            }

            TransformPipeline pipeline = pipelines[0];
            Console.WriteLine("OK");
            if (input is not null)
            {
                byte[] sent = input == "-" ? ReadStandardInput() : System.Text.Encoding.UTF8.GetBytes(input);
                using Stream output = Console.OpenStandardOutput();
                output.Write(Transcript.Run(settings, pipeline, [sent], logging.CreateLogger("check")));
            }

            return ExitCodes.Ok;
        }
        catch (StartupException e)
        {
            CliConsole.PrintProblems(e);
            return ExitCodes.Failed;
        }
    }

    private sealed class DisposeAll(List<TransformPipeline> pipelines) : IDisposable
    {
        public void Dispose() => pipelines.ForEach(pipeline => pipeline.Dispose());
    }

    private static byte[] ReadStandardInput()
    {
        using Stream input = Console.OpenStandardInput();
        using var bytes = new MemoryStream();
        input.CopyTo(bytes);
        return bytes.ToArray();
    }
}

using System.Diagnostics;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>What a command of the kit printed, and how it ended.</summary>
internal sealed record KitResult(string CommandLine, int Exit, string Output)
{
    /// <summary>Fails the test with the command's output unless it exited with 0.</summary>
    public KitResult Succeeded()
    {
        Assert.That(Exit, Is.Zero, $"{CommandLine} exited with {Exit}:\n{Output}");
        return this;
    }
}

/// <summary>
/// Runs a command to its end in a folder, as a plugin author would type it, with the outer
/// build's MSBuild variables taken away (this process runs under <c>dotnet test</c>) and no
/// MSBuild node left running afterwards.
/// </summary>
internal static class KitCommand
{
    /// <summary>Builds on a loaded machine take their time; one that hangs must still end.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <param name="environment">Set for the command, beside this process's variables.</param>
    public static async Task<KitResult> RunAsync(string folder, IReadOnlyDictionary<string, string> environment, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        string commandLine = $"{Path.GetFileName(program)} {string.Join(' ', arguments)} (in {folder})";
        using Process process = Process.Start(start)!;
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{commandLine} did not finish within {Timeout}:\n{await output}{await errors}");
        }

        return new KitResult(commandLine, process.ExitCode, await output + await errors);
    }
}

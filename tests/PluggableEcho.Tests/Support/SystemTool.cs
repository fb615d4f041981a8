using System.Diagnostics;

namespace PluggableEcho.Tests.Support;

/// <summary>Programs from PATH that some tests run: CI must have them (.ci/run installs them),
/// elsewhere the test says why it cannot run.</summary>
internal static class SystemTool
{
    /// <param name="debianPackage">The package that brings it, for the message.</param>
    public static string Find(string name, string debianPackage)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (path is null && Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"{name} is not installed: .ci/run installs Debian's {debianPackage} package");
        }

        Assume.That(path, Is.Not.Null, $"{name} is not installed (apt-get install {debianPackage})");
        return path!;
    }

    /// <summary>Runs <paramref name="program"/> to its end, <paramref name="input"/> on its standard input.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string program, string[] arguments, string input = "")
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TestClient.Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {TestClient.Timeout}");
        }

        return (process.ExitCode, await output, await errors);
    }
}

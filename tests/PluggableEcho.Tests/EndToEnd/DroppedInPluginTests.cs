using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.EndToEnd;

/// <summary>Plugins dropped into a plugins folder as a new user drops them, served by the real executable.</summary>
public sealed class DroppedInPluginTests
{
    private const int SIGTERM = 15;

    private TempFolder _folder = null!;

    private string StrayCaesar => Path.Combine(_folder.Path, "plugins", "net10.0", "Caesar.dll");

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_loose_single_assembly_plugin_serves_over_a_real_socket()
    {
        _folder.DropLoose(TestPaths.TestPluginOutput("Caesar"), "Caesar.dll");
        string config = _folder.Write("echo.yaml", "plugins: plugins\npipeline:\n  - type: caesar\n    options: { shift: 1 }\n");

        Assert.That(Serve(config, "abc\n", "bcd\n"), Has.None.Contains("was not loaded"));
    }

    [Test]
    public void A_build_folder_copied_whole_that_the_pipeline_does_not_use_is_a_warning_and_the_server_serves()
    {
        string config = DropStrayCaesarBeside("pipeline: [reverse]\n");

        Assert.That(Serve(config, "abc\n", "cba\n"),
            Has.Some.Contains("warn: ").And.Contains($"{StrayCaesar} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"));
    }

    [Test]
    public void A_build_folder_copied_whole_that_the_pipeline_uses_stops_start_up_and_is_named_with_the_fix()
    {
        string config = DropStrayCaesarBeside("pipeline: [caesar]\n");

        using var host = new HostProcess("--config", config, "--listen", "127.0.0.1:0");

        Assert.That(host.WaitForExit(), Is.EqualTo(1));
        Assert.That(host.StandardError.Trim(), Is.EqualTo($"error: {config}:2:12: unknown transform 'caesar' (known: reverse); "
            + $"{StrayCaesar} was not loaded: it is in a folder named net10.0; rename the folder to Caesar"), "said once, as the error");
        Assert.That(host.OutputSoFar, Has.None.Contains("listening on"));
    }

    /// <summary>Runs the server on <paramref name="config"/>, has a client send <paramref name="line"/>
    /// and get <paramref name="reply"/>, and stops it as a signal would.</summary>
    /// <returns>What the server wrote on standard output: its log.</returns>
    private static IReadOnlyList<string> Serve(string config, string line, string reply)
    {
        using var host = new HostProcess("--config", config, "--listen", "127.0.0.1:0");
        using (var client = new TestClient(host.WaitUntilListening()))
        {
            client.Send(line);
            Assert.That(client.ReadLine(), Is.EqualTo(reply));
        }

        host.SendSignal(SIGTERM);
        Assert.That(host.WaitForExit(), Is.Zero, host.StandardError);
        return host.OutputSoFar;
    }

    /// <returns>The config: these plugins, then <paramref name="pipeline"/>.</returns>
    private string DropStrayCaesarBeside(string pipeline)
    {
        _folder.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Reverse"), "Reverse");
        _folder.DropPlugin(TestPaths.TestPluginOutput("Caesar"), "net10.0"); // cp -r bin/Release/net10.0 plugins/
        return _folder.Write("echo.yaml", $"plugins: plugins\n{pipeline}");
    }
}

using System.Net;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>
/// The plugin author's kit, as README's "Write a plugin" uses it, away from the repository: both
/// packages packed into a feed by deploy/pack.sh, the template installed, a plugin made from it
/// and published against the contract's package, then checked, tested and served by the host.
/// </summary>
public sealed class PluginKitTests
{
    private const string Plugin = "Shout";

    private KitWorkspace _kit = null!;

    private string PluginSolution => Path.Combine(_kit.Work, Plugin);

    private string PluginFolder => Path.Combine(PluginSolution, "plugins", Plugin);

    [OneTimeSetUp]
    public async Task MakeAPluginFromTheTemplate()
    {
        _kit = await KitWorkspace.CreateAsync();
        string[] packages = await _kit.PackAsync();
        string version = typeof(PluggableEcho.Abstractions.ITransform).Assembly.GetName().Version!.ToString(3);
        Assert.That(packages.Select(Path.GetFileName), Is.EquivalentTo(new[]
        {
            $"PluggableEcho.Abstractions.{version}.nupkg",
            $"PluggableEcho.Templates.{version}.nupkg",
        }));
        Assert.That(File.Exists(Path.Combine(_kit.Feed, $"PluggableEcho.Abstractions.{version}.snupkg")), "the contract's symbols");

        (await _kit.DotnetAsync(_kit.Work, "new", "install", packages.Single(p => p.Contains("Templates", StringComparison.Ordinal)))).Succeeded();
        (await _kit.DotnetAsync(_kit.Work, "new", "pluggable-echo-plugin", "-n", Plugin, "--feed", _kit.Feed)).Succeeded();
        (await _kit.DotnetAsync(PluginSolution, "publish", Plugin, "-o", $"plugins/{Plugin}")).Succeeded();
    }

    [OneTimeTearDown]
    public void RemoveEverything() => _kit?.Dispose();

    [Test]
    public async Task The_generated_tests_build_against_the_package_and_pass()
    {
        KitResult tested = (await _kit.DotnetAsync(PluginSolution, "test")).Succeeded();

        Assert.That(tested.Output, Does.Match(@"Passed!\s+- Failed:\s+0, Passed:\s+3"));
        string assets = await File.ReadAllTextAsync(Path.Combine(PluginSolution, Plugin, "obj", "project.assets.json"));
        Assert.That(assets, Does.Contain("\"PluggableEcho.Abstractions/").And.Not.Contain("PluggableEcho.Abstractions.csproj"),
            "the contract comes as a package, not as a project");
    }

    [Test]
    public void The_published_plugin_carries_none_of_the_assemblies_the_host_shares()
    {
        string[] files = [.. Directory.GetFiles(PluginFolder).Select(Path.GetFileName)!];

        Assert.That(files, Does.Contain($"{Plugin}.dll"));
        Assert.That(files, Has.None.StartsWith("PluggableEcho.Abstractions")
            .And.None.StartsWith("Microsoft.Extensions.DependencyInjection.Abstractions")
            .And.None.StartsWith("Microsoft.Extensions.Logging.Abstractions"));
    }

    [Test]
    public async Task Plugins_verify_finds_nothing_wrong()
    {
        KitResult verified = (await Host("plugins", "--folder", "plugins", "--verify")).Succeeded();

        Assert.That(verified.Output, Does.Contain($"  shout\n    suffix: text, default '!'"));
        Assert.That(verified.Output.Split('\n'), Has.None.StartsWith("  warning").And.None.StartsWith("  error"));
        Assert.That(verified.Output, Does.Contain("1 plugins: 1 ok, 0 with errors"));
    }

    [Test]
    public async Task The_generated_cases_pass()
    {
        KitResult tested = (await Host("test", "cases.yaml")).Succeeded();

        Assert.That(tested.Output, Does.Contain("cases: 2 passed, 0 failed"));
    }

    [Test]
    public void The_server_serves_the_generated_config_with_the_new_transform()
    {
        using var server = new HostProcess("--config", Path.Combine(PluginSolution, "pluggable-echo.yaml"), "--listen", "127.0.0.1:0");
        IPEndPoint endPoint = server.WaitUntilListening();

        using (var client = new TestClient(endPoint))
        {
            client.Send("hello\n");
            Assert.That(client.ReadLine(), Is.EqualTo("hello!\n"));
        }

        server.SendSignal(15); // SIGTERM
        Assert.That(server.WaitForExit(), Is.Zero, server.StandardError);
    }

    /// <summary>The host, run in the plugin's folder as README runs it there.</summary>
    private Task<KitResult> Host(params string[] arguments) =>
        KitCommand.RunAsync(PluginSolution, new Dictionary<string, string>(), KitCommand.Dotnet, [TestPaths.HostAssembly, .. arguments]);
}

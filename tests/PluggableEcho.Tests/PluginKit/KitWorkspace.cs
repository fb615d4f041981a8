using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>
/// Everything the kit's test writes, in one temporary folder outside the repository: the feed
/// the packages go to, their build, a dotnet home of its own (installed templates and the
/// global packages folder) and the folder where the plugin is made.
/// </summary>
internal sealed class KitWorkspace : IDisposable
{
    private readonly TempFolder _root = new();

    private KitWorkspace()
    {
        foreach (string folder in new[] { Feed, Build, Home, Work })
        {
            Directory.CreateDirectory(folder);
        }
    }

    public string Feed => Path.Combine(_root.Path, "feed");

    public string Build => Path.Combine(_root.Path, "build");

    /// <summary>DOTNET_CLI_HOME: a fresh template list and global packages folder.</summary>
    public string Home => Path.Combine(_root.Path, "home");

    /// <summary>Where the author works: its nuget.config restores as this machine does.</summary>
    public string Work => Path.Combine(_root.Path, "work");

    private Dictionary<string, string> Isolated => new()
    {
        ["DOTNET_CLI_HOME"] = Home,
        ["NUGET_PACKAGES"] = Path.Combine(Home, ".nuget", "packages"),
        // A new home is a first run: nothing of it is wanted here.
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false",
    };

    public static async Task<KitWorkspace> CreateAsync()
    {
        var workspace = new KitWorkspace();
        try
        {
            await IsolatedNuGetConfig.WriteAsync(workspace.Work);
            return workspace;
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary><c>deploy/pack.sh FEED</c> from the repository, building under <see cref="Build"/>.</summary>
    /// <returns>The packages it made, as it prints them.</returns>
    public async Task<string[]> PackAsync()
    {
        var environment = new Dictionary<string, string> { ["BUILD"] = Build };
        KitResult packed = (await KitCommand.RunAsync(TestPaths.RepositoryRoot, environment, "bash", "deploy/pack.sh", Feed)).Succeeded();
        return [.. packed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.EndsWith(".nupkg", StringComparison.Ordinal))];
    }

    /// <summary><c>dotnet ARGUMENTS</c> in <paramref name="folder"/>, with this workspace's dotnet home.</summary>
    public Task<KitResult> DotnetAsync(string folder, params string[] arguments) =>
        KitCommand.RunAsync(folder, Isolated, KitCommand.Dotnet, arguments);

    public void Dispose() => _root.Dispose();
}

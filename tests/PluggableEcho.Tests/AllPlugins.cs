using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests;

/// <summary>Set up once for every test in the assembly: one plugins folder: the samples plus the test plugins.</summary>
[SetUpFixture]
public sealed class AllPlugins
{
    private static TempFolder? _folder;
    private static string? _plugins;

    public static string Folder => _plugins ?? throw new InvalidOperationException("set up by NUnit before any test");

    [OneTimeSetUp]
    public void DropThemIn()
    {
        _folder = new TempFolder();
        _plugins = _folder.DropAllPlugins();
    }

    [OneTimeTearDown]
    public void CleanUp() => _folder?.Dispose();
}

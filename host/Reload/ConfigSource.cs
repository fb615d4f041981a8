using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Reload;

/// <summary>Where the server's config comes from, so that a reload reads it as the start did:
/// the same file, the same command-line overrides, the same default plugin folder.</summary>
/// <param name="Path">The config file as given; null: the built-in defaults.</param>
internal sealed record ConfigSource(string? Path, string DefaultPluginFolder, CommandLineOverrides Overrides)
{
    /// <exception cref="Errors.StartupException">Every mistake in the file, each at its line and column.</exception>
    public ServerSettings Load() => ConfigLoader.Load(Path, DefaultPluginFolder, Overrides);
}

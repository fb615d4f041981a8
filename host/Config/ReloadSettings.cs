using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Config;

/// <summary>The config's <c>reload:</c> section: how a running server takes a changed config.</summary>
/// <param name="Watch">Whether the server reloads by itself when the config file, a file it
/// names, or the plugins folder changes.</param>
/// <param name="DrainTimeout">How long a connection open at a reload keeps its old pipeline
/// (under <see cref="ExistingConnections.Keep"/>).</param>
internal sealed record ReloadSettings(bool Watch, TimeSpan DrainTimeout, ExistingConnections Existing)
{
    public static readonly ReloadSettings Default = new(Watch: false, TimeSpan.FromMinutes(5), ExistingConnections.Keep);

    /// <summary>How long a connection open at a reload keeps its pipeline: zero under <c>switch</c>.</summary>
    public TimeSpan MoveAfter => Existing == ExistingConnections.Switch ? TimeSpan.Zero : DrainTimeout;
}

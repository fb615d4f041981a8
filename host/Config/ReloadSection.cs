using System.ComponentModel.DataAnnotations;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Config;

/// <summary>The YAML's <c>reload:</c> section as written (snake_case keys), with the defaults of
/// <see cref="ReloadSettings.Default"/>; <see cref="ToSettings"/> hands the values on.</summary>
internal sealed class ReloadSection
{
    /// <summary>Reload when the config file, a file it names, or the plugins folder changes.</summary>
    public bool Watch { get; set; } = ReloadSettings.Default.Watch;

    /// <summary>How long a connection open at a reload keeps its old pipeline; zero: it moves at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan DrainTimeout { get; set; } = ReloadSettings.Default.DrainTimeout;

    public ExistingConnections Existing { get; set; } = ReloadSettings.Default.Existing;

    public ReloadSettings ToSettings() => new(Watch, DrainTimeout, Existing);
}

namespace PluggableEcho.Host.Plugins;

/// <summary>A transform a plugin offers, and what the host needs to build it.</summary>
/// <param name="Services">The plugin's own container: its registrations plus the host's logging.</param>
internal sealed record TransformRegistration(
    string Name,
    Type TransformType,
    Type? OptionsType,
    string PluginPath,
    IServiceProvider Services);

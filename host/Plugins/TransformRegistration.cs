using System.Runtime.CompilerServices;

namespace PluggableEcho.Host.Plugins;

/// <summary>A transform a plugin offers, and what the host needs to build it.</summary>
/// <param name="Services">The plugin's own container: its registrations plus the host's logging.</param>
internal sealed record TransformRegistration(
    string Name,
    Type TransformType,
    Type? OptionsType,
    string PluginPath,
    IServiceProvider Services)
{
    /// <summary>Runs the transform type's static initialisers now: a static field's initialiser
    /// would otherwise run on the first message that touches it, and fail every message after,
    /// where building it should have failed.</summary>
    /// <exception cref="TypeInitializationException">One of them threw.</exception>
    public void InitializeType() => RuntimeHelpers.RunClassConstructor(TransformType.TypeHandle);
}

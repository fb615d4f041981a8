using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Script;

/// <summary>
/// JavaScript steps, run by Jint, which this plugin carries as a dependency of its own: the host
/// knows nothing of it. A config's <c>- script:</c> and <c>- script_file:</c> steps name this
/// transform, by the host's rule for any transform with an option named after it.
/// </summary>
public sealed class ScriptPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<ScriptTransform, ScriptOptions>("script");
}

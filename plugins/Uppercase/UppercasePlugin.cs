using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Uppercase;

public sealed class UppercasePlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<UppercaseTransform>("uppercase");
}

using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Reverse;

public sealed class ReversePlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<ReverseTransform>("reverse");
}

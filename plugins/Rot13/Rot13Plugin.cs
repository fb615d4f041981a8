using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Rot13;

public sealed class Rot13Plugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<Rot13Transform>("rot13");
}

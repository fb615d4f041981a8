using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Versioned;

/// <summary>A plugin the tests rebuild with other behaviour: <c>versioned</c> says which build answers.</summary>
public sealed class VersionedPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) => transforms.Add<VersionedTransform>("versioned");
}

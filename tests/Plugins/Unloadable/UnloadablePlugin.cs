using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Unloadable;

/// <summary>A plugin whose own constructor fails, before it can offer anything.</summary>
public sealed class UnloadablePlugin : ITransformPlugin
{
    public UnloadablePlugin() => throw new InvalidOperationException("license key not found");

    public void AddTransforms(ITransformCatalog transforms) => transforms.Add<NeverBuilt>("never");

    private sealed class NeverBuilt : ITransform
    {
        public void Transform(ReadOnlySpan<byte> message, System.Buffers.IBufferWriter<byte> output)
        {
        }
    }
}

using System.Buffers;
using PluggableEcho.Abstractions;
using PluggableEcho.Plugins.DependentHelper;

namespace PluggableEcho.Plugins.Dependent;

public sealed class DependentPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) => transforms.Add<Shout>("shout");
}

/// <summary>Built on a type of its private dependency, so it cannot load without it.</summary>
internal sealed class Shout : Exclaimer, ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        output.Write(message);
        output.Write(Mark);
    }
}

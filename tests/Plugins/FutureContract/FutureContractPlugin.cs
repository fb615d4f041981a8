using System.Buffers;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.FutureContract;

public sealed class FutureContractPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) => transforms.Add<Echo>("future-echo");
}

internal sealed class Echo : ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => output.Write(message);
}

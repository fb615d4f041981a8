using System.Buffers;
using PluggableEcho.Abstractions;

[assembly: System.Runtime.Versioning.TargetFramework(".NETCoreApp,Version=v99.0", FrameworkDisplayName = ".NET 99.0")]

namespace PluggableEcho.Plugins.FutureFramework;

public sealed class FutureFrameworkPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) => transforms.Add<Echo>("from-the-future");
}

internal sealed class Echo : ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => output.Write(message);
}

using System.Buffers;
using PluggableEcho.Abstractions;

// Same names as the host's contract, but this assembly's own types: the host cannot use them.
#pragma warning disable CA1515 // Public on purpose: a plugin's contract types are.
namespace PluggableEcho.Abstractions
{
    public interface ITransform
    {
        void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output);
    }

    public interface ITransformPlugin
    {
        void AddTransforms(IList<Type> transforms);
    }
}

namespace PluggableEcho.Plugins.LookAlike
{
    public sealed class LookAlikePlugin : ITransformPlugin
    {
        public void AddTransforms(IList<Type> transforms) => transforms.Add(typeof(Echo));
    }

    public sealed class Echo : ITransform
    {
        public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => output.Write(message);
    }
}

using System.Net;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Tests.Support;

/// <summary>A pipeline of a test's own for the loop's code, with no steps: so none runs, none
/// runs out of memory, and a connection costs it nothing.</summary>
internal abstract class StepLessPipeline : IMessagePipeline
{
    public event Action<int>? OutOfMemory
    {
        add { }
        remove { }
    }

    public int RunningStep => -1;

    /// <summary>Its replies are its own: each message goes through <see cref="Run"/>.</summary>
    public bool IsLinewise => false;

    public bool TryRunLines(ReadOnlySpan<byte> lines, ByteBuffer reply) => false;

    public string DescribeStep(int step) => throw new ArgumentOutOfRangeException(nameof(step), "it has no steps");

    public virtual PipelineSession OpenSession(EndPoint? remoteEndPoint) => PipelineSession.None;

    public abstract MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session);

    public void Dispose()
    {
    }
}

using System.Net;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Pipeline;

/// <summary>What the event loop asks of the pipeline: the reply to one framed message.</summary>
/// <remarks>Disposing it disposes the transforms that are disposable.</remarks>
internal interface IMessagePipeline : IDisposable
{
    /// <summary>
    /// What the steps keep for one connection, to pass with each of its messages and to dispose
    /// when it closes. Without connection-aware steps it is a shared empty session, which costs
    /// the connection nothing; open it lazily, at the first message, all the same.
    /// </summary>
    PipelineSession OpenSession(EndPoint? remoteEndPoint);

    /// <summary>
    /// Appends the reply to <paramref name="reply"/> and says what to do with it. Never throws
    /// for a failing step: the failure is logged and handled by the outcome. Unless the outcome
    /// is <see cref="MessageOutcome.Reply"/>, nothing is left appended.
    /// </summary>
    MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session);

    /// <summary>Whether every step is an <see cref="Abstractions.ILinewiseTransform"/>, so that a
    /// run of whole lines may go through <see cref="TryRunLines"/> as one.</summary>
    bool IsLinewise { get; }

    /// <summary>
    /// For a <see cref="IsLinewise">linewise</see> pipeline: appends the replies to a run of whole
    /// lines, each with its ending, in one pass through the steps. Nothing is logged or counted;
    /// if a step throws, nothing is left appended and it returns false, so that the caller runs
    /// the lines one by one through <see cref="Run"/>, which applies the step's error policy.
    /// </summary>
    bool TryRunLines(ReadOnlySpan<byte> lines, ByteBuffer reply);

    /// <summary>The index of the step running now; -1 between messages. Safe from any thread: a
    /// watchdog reads it to say which step a stuck loop is in.</summary>
    int RunningStep { get; }

    /// <summary>How reports name a step: <c>step 2 'rot13' (echo.yaml:5:5)</c>. Safe from any thread.</summary>
    string DescribeStep(int step);

    /// <summary>Completes once what <see cref="IDisposable.Dispose"/> started has finished: the
    /// transforms that are only <see cref="IAsyncDisposable"/> dispose in the background.</summary>
    Task Disposed => Task.CompletedTask;

    /// <summary>Raised on the loop's thread, with the step's index, when a step has thrown
    /// <see cref="OutOfMemoryException"/> (after its on_error policy has answered the message):
    /// the process is unwell, not only that message.</summary>
    event Action<int>? OutOfMemory;
}

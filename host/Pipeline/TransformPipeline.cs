using System.Text;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Pipeline;

internal readonly record struct PipelineStep(string Name, ITransform Transform);

/// <summary>
/// Runs a message through each step in order. Steps between the first and the last write into
/// two buffers used in turn, so a message costs no allocation once they have grown to size.
/// Owned by one event loop: not thread-safe, and its transforms need not be either.
/// </summary>
internal sealed partial class TransformPipeline(IReadOnlyList<PipelineStep> steps, ILogger<TransformPipeline> logger)
    : IMessagePipeline
{
    private readonly PipelineStep[] _steps = [.. steps];
    private readonly ByteBuffer _even = new();
    private readonly ByteBuffer _odd = new();

    public MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply)
    {
        int replyStart = reply.Length;
        int last = _steps.Length - 1;
        ReadOnlySpan<byte> input = message;
        for (int i = 0; i <= last; i++)
        {
            ByteBuffer output = i == last ? reply : (i % 2 == 0 ? _even : _odd);
            if (i != last)
            {
                output.Clear();
            }

            try
            {
                _steps[i].Transform.Transform(input, output);
            }
            catch (Exception e)
            {
                reply.Truncate(replyStart);
                ReportFailure(_steps[i].Name, e, reply);
                return MessageOutcome.Reply;
            }

            input = output.WrittenSpan;
        }

        if (_steps.Length == 0)
        {
            reply.Write(message);
        }

        return MessageOutcome.Reply;
    }

    public void Dispose()
    {
        foreach (PipelineStep step in _steps)
        {
            try
            {
                (step.Transform as IDisposable)?.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDisposeFailed(step.Name, e); // The others still get theirs.
            }
        }
    }

    private void ReportFailure(string step, Exception e, ByteBuffer reply)
    {
        LogStepFailed(step, e);
        // One line whatever the framing: a newline in the reason would look like a second reply.
        string reason = e.Message.ReplaceLineEndings(" ");
        reply.Write(Encoding.UTF8.GetBytes($"ERR {step}: {reason}"));
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "step '{Step}' failed; the client was told")]
    private partial void LogStepFailed(string step, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "step '{Step}' failed to dispose")]
    private partial void LogDisposeFailed(string step, Exception exception);
}

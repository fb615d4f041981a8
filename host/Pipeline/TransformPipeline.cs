using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Host.Pipeline;

/// <param name="Location">Where the config writes it (<c>file:line:column</c>), for reports; null: nowhere.</param>
internal readonly record struct PipelineStep(string Name, ITransform Transform, ErrorPolicy OnError = ErrorPolicy.Reply, string? Location = null);

/// <summary>
/// Runs a message through each step in order. Steps between the first and the last write into
/// two buffers used in turn, so a message costs no allocation once they have grown to size.
/// A step that throws is handled by its <see cref="ErrorPolicy"/>.
/// Owned by one event loop: not thread-safe, and its transforms need not be either; only
/// <see cref="RunningStep"/>, <see cref="DescribeStep"/> and <see cref="Failures"/> are for other threads.
/// </summary>
internal sealed partial class TransformPipeline(IReadOnlyList<PipelineStep> steps, ILogger<TransformPipeline> logger)
    : IMessagePipeline
{
    private readonly PipelineStep[] _steps = [.. steps];
    private readonly IConnectionTransform?[] _connectionSteps = [.. steps.Select(s => s.Transform as IConnectionTransform)];
    private readonly ByteBuffer _even = new();
    private readonly ByteBuffer _odd = new();
    private readonly long[] _failures = new long[steps.Count]; // Written by the loop's thread, read by any.
    private int _running = -1; // A plain store per step: what a watchdog on another thread reads.

    /// <inheritdoc/>
    public event Action<int>? OutOfMemory;

    /// <inheritdoc/>
    public int RunningStep => Volatile.Read(ref _running);

    /// <summary>How many messages each step has failed on so far. Safe from any thread.</summary>
    public IEnumerable<(PipelineStep Step, long Failures)> Failures =>
        _steps.Select((step, i) => (step, Volatile.Read(ref _failures[i])));

    /// <inheritdoc/>
    public bool IsLinewise { get; } = steps.All(s => s.Transform is ILinewiseTransform and not IConnectionTransform);

    public PipelineSession OpenSession(EndPoint? remoteEndPoint) =>
        Array.Exists(_connectionSteps, s => s is not null) ? PipelineSession.Open(this, remoteEndPoint, _steps.Length) : PipelineSession.None;

    public MessageOutcome Run(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session)
    {
        try
        {
            return RunSteps(message, reply, session);
        }
        finally
        {
            _running = -1; // Between messages, whichever way it ended.
        }
    }

    /// <inheritdoc/>
    public bool TryRunLines(ReadOnlySpan<byte> lines, ByteBuffer reply)
    {
        int replyStart = reply.Length;
        ReadOnlySpan<byte> input = lines;
        (ByteBuffer spare, ByteBuffer other) = (_even, _odd);
        int step = 0;
        try
        {
            for (; step < _steps.Length - 1; step++)
            {
                spare.Clear();
                _running = step;
                _steps[step].Transform.Transform(input, spare);
                input = spare.WrittenSpan;
                (spare, other) = (other, spare);
            }

            if (_steps.Length == 0)
            {
                reply.Write(input);
            }
            else
            {
                _running = step;
                _steps[step].Transform.Transform(input, reply);
            }

            return true;
        }
        catch (Exception e)
        {
            reply.Truncate(replyStart); // The lines one by one will say which failed, and how.
            if (e is OutOfMemoryException)
            {
                OutOfMemory?.Invoke(step); // Told even if the lines alone then fit.
            }

            return false;
        }
        finally
        {
            _running = -1;
        }
    }

    private MessageOutcome RunSteps(ReadOnlySpan<byte> message, ByteBuffer reply, PipelineSession session)
    {
        int replyStart = reply.Length;
        int last = _steps.Length - 1;
        ReadOnlySpan<byte> input = message;
        // The next step writes into the buffer that does not hold its input: they swap after each
        // step that succeeds, and stay put after one that is skipped (passthrough).
        (ByteBuffer spare, ByteBuffer other) = (_even, _odd);
        for (int i = 0; i <= last; i++)
        {
            ByteBuffer output = i == last ? reply : spare;
            int outputStart = i == last ? replyStart : 0;
            if (i != last)
            {
                output.Clear();
            }

            try
            {
                _running = i;
                if (RunStep(i, input, output, session) == TransformResult.Drop)
                {
                    reply.Truncate(replyStart);
                    return MessageOutcome.Drop;
                }
            }
            catch (Exception e)
            {
                output.Truncate(outputStart); // Whatever it wrote before it failed.
                if (Fail(i, e, reply) is { } outcome)
                {
                    return outcome;
                }

                if (i == last)
                {
                    reply.Write(input);
                }

                continue; // Passthrough: the next step takes the same input.
            }

            if (i != last)
            {
                input = output.WrittenSpan;
                (spare, other) = (other, spare);
            }
        }

        if (_steps.Length == 0)
        {
            reply.Write(message);
        }

        return MessageOutcome.Reply;
    }

    /// <inheritdoc/>
    public string DescribeStep(int step)
    {
        PipelineStep described = _steps[step];
        return described.Location is null ? $"step {step + 1} '{described.Name}'" : $"step {step + 1} '{described.Name}' ({described.Location})";
    }

    /// <inheritdoc/>
    public Task Disposed { get; private set; } = Task.CompletedTask;

    /// <summary>Disposes the transforms that are <see cref="IDisposable"/>, or else
    /// <see cref="IAsyncDisposable"/>: an asynchronous one is started and not waited for here,
    /// since this may run on an event loop's thread (a reload's last connection closing there);
    /// <see cref="Disposed"/> says when all have finished.</summary>
    public void Dispose()
    {
        var pending = new List<Task>();
        foreach (PipelineStep step in _steps)
        {
            try
            {
                if (step.Transform is IDisposable disposable)
                {
                    disposable.Dispose();
                }
                else if (step.Transform is IAsyncDisposable asyncDisposable)
                {
                    ValueTask disposing = asyncDisposable.DisposeAsync();
                    if (!disposing.IsCompletedSuccessfully)
                    {
                        string name = step.Name;
                        pending.Add(disposing.AsTask().ContinueWith(
                            done =>
                            {
                                if (done.Exception is { } failure)
                                {
                                    LogDisposeFailed(name, failure.InnerException!);
                                }
                            },
                            CancellationToken.None,
                            TaskContinuationOptions.None,
                            TaskScheduler.Default));
                    }
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogDisposeFailed(step.Name, e); // The others still get theirs.
            }
        }

        Disposed = pending.Count == 0 ? Task.CompletedTask : Task.WhenAll(pending);
    }

    internal void ReportStateDisposeFailed(int step, Exception e) => LogStateDisposeFailed(_steps[step].Name, e);

    private TransformResult RunStep(int step, ReadOnlySpan<byte> input, ByteBuffer output, PipelineSession session)
    {
        if (_connectionSteps[step] is not { } connectionStep)
        {
            _steps[step].Transform.Transform(input, output);
            return TransformResult.Continue;
        }

        return connectionStep.Transform(input, output, session.StateFor(step, connectionStep));
    }

    /// <summary>Logs the failure and applies the step's policy.</summary>
    /// <returns>The message's outcome, or null to go on without the step (passthrough).</returns>
    private MessageOutcome? Fail(int index, Exception e, ByteBuffer reply)
    {
        PipelineStep step = _steps[index];
        _failures[index]++;
        // One line at Warning, so that a client whose every message fails costs the log little;
        // the trace at Debug, for whoever looks into it.
        LogStepFailed(step.Name, step.OnError, e.GetType().Name, e.Message.ReplaceLineEndings(" "));
        LogStepFailedTrace(step.Name, e);
        if (e is OutOfMemoryException)
        {
            OutOfMemory?.Invoke(index); // The process is unwell, not only this message.
        }

        switch (step.OnError)
        {
            case ErrorPolicy.Passthrough:
                return null;
            case ErrorPolicy.Drop:
                return MessageOutcome.Drop;
            case ErrorPolicy.Close:
                return MessageOutcome.Close;
            default:
                // One line whatever the framing: a newline in the reason would look like a second reply.
                string reason = e.Message.ReplaceLineEndings(" ");
                reply.Write(Encoding.UTF8.GetBytes($"ERR {step.Name}: {reason}"));
                return MessageOutcome.Reply;
        }
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "step '{Step}' failed; on_error: {Policy}; {Error}: {Reason}")]
    private partial void LogStepFailed(string step, ErrorPolicy policy, string error, string reason);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "step '{Step}' failed")]
    private partial void LogStepFailedTrace(string step, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "step '{Step}' failed to dispose")]
    private partial void LogDisposeFailed(string step, Exception exception);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "step '{Step}' failed to dispose the state of a closed connection")]
    private partial void LogStateDisposeFailed(string step, Exception exception);
}

using System.Net;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Pipeline;

/// <summary>
/// What the connection-aware steps of one pipeline keep for one connection, each step's state
/// made when the connection's first message reaches it. Pipelines without such steps hand out
/// <see cref="None"/>, so that a connection costs them nothing. Touched by the loop's thread only.
/// </summary>
internal sealed class PipelineSession : IDisposable
{
    public static readonly PipelineSession None = new(null, ConnectionInfo.None, 0);

    private static readonly object NotCreated = new();
    private static long _lastId;

    private readonly TransformPipeline? _owner;
    private readonly object?[] _states;

    private PipelineSession(TransformPipeline? owner, ConnectionInfo connection, int stepCount)
    {
        _owner = owner;
        Connection = connection;
        _states = new object?[stepCount];
        Array.Fill(_states, NotCreated);
    }

    public ConnectionInfo Connection { get; }

    public static PipelineSession Open(TransformPipeline owner, EndPoint? remoteEndPoint, int stepCount) =>
        new(owner, new ConnectionInfo(Interlocked.Increment(ref _lastId), remoteEndPoint), stepCount);

    /// <summary>The state of step <paramref name="step"/>, made on first use; what the step throws goes to the caller.</summary>
    public object? StateFor(int step, IConnectionTransform transform)
    {
        object? state = _states[step];
        if (ReferenceEquals(state, NotCreated))
        {
            state = transform.CreateConnectionState(Connection);
            _states[step] = state;
        }

        return state;
    }

    public void Dispose()
    {
        for (int step = 0; step < _states.Length; step++)
        {
            object? state = _states[step];
            _states[step] = NotCreated;
            try
            {
                (state as IDisposable)?.Dispose();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _owner?.ReportStateDisposeFailed(step, e); // The other steps still get theirs.
            }
        }
    }
}

using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// One configuration as the loops serve it: the pipelines made for it (one per loop and
/// listener), and how many hold it. The server holds it while the loops hand it to new
/// connections; each connection holds the one its messages run through. When the last hold
/// goes (a reload replaced it and its last connection closed or moved on, or the server
/// stopped), its pipelines are disposed and <see cref="Unused"/> tells whoever made them.
/// Safe from any thread.
/// </summary>
internal sealed class ServedGeneration(int number)
{
    private readonly List<IMessagePipeline> _pipelines = [];
    private int _holds = 1; // The server's own, until it lets go.

    /// <summary>1 for the configuration the server started with, one more at each reload.</summary>
    public int Number => number;

    /// <summary>How many connections use it, plus one while the server hands it out.</summary>
    public int Holds => Volatile.Read(ref _holds);

    /// <summary>Raised once, on the thread that let go of it last, after its pipelines were
    /// disposed. Keep it short: that thread may be an event loop's.</summary>
    public event Action<ServedGeneration>? Unused;

    /// <summary>Makes it own <paramref name="pipeline"/>: disposed with it. Before it is served.</summary>
    public IMessagePipeline Own(IMessagePipeline pipeline)
    {
        lock (_pipelines)
        {
            _pipelines.Add(pipeline);
        }

        return pipeline;
    }

    public void Hold() => Interlocked.Increment(ref _holds);

    public void LetGo()
    {
        int left = Interlocked.Decrement(ref _holds);
        if (left == 0)
        {
            End();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException($"generation {number} was let go of once more than it was held");
        }
    }

    private void End()
    {
        lock (_pipelines)
        {
            _pipelines.ForEach(pipeline => pipeline.Dispose()); // Never throws: a step's failure is logged.
            _pipelines.Clear();
        }

        Unused?.Invoke(this);
    }
}

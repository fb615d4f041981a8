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

    public void Hold()
    {
        if (!TryHold())
        {
            throw new InvalidOperationException($"generation {number} has ended: it cannot be held again");
        }
    }

    /// <summary>Holds it, unless it has ended already (its last hold went): an ended generation
    /// is never taken up again.</summary>
    public bool TryHold()
    {
        int holds = Volatile.Read(ref _holds);
        while (holds > 0)
        {
            int seen = Interlocked.CompareExchange(ref _holds, holds + 1, holds);
            if (seen == holds)
            {
                return true;
            }

            holds = seen;
        }

        return false;
    }

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

    /// <summary>Completes once its pipelines have ended and finished disposing their transforms
    /// (some dispose asynchronously): only then may their plugins unload.</summary>
    public Task PipelinesDisposed { get; private set; } = Task.CompletedTask;

    private void End()
    {
        lock (_pipelines)
        {
            _pipelines.ForEach(pipeline => pipeline.Dispose()); // Never throws: a step's failure is logged.
            PipelinesDisposed = Task.WhenAll(_pipelines.Select(pipeline => pipeline.Disposed));
            _pipelines.Clear();
        }

        // Forgotten once called: a connection left on its settings must not keep its owner's
        // parts (the plugins) reachable through it.
        Action<ServedGeneration>? unused = Unused;
        Unused = null;
        unused?.Invoke(this);
    }
}

using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// A listener as one loop serves it: its settings, the loop's own pipeline for it, and the
/// max_connections count it shares with the other loops. Each connection keeps a reference to
/// the one it was accepted on. Loop's thread only, but for <see cref="Slots"/> and <see cref="OutOfMemory"/>.
/// </summary>
internal sealed class LoopListener : IDisposable
{
    private readonly LoopContext _loop;
    private OutOfMemoryFault? _outOfMemory;

    public LoopListener(ListenerOptions options, ConnectionSlots slots, IMessagePipeline pipeline, LoopContext loop)
    {
        _loop = loop;
        Options = options;
        Slots = slots;
        Exchange = new ExchangeContext(options.Framer, pipeline, options.Limits, loop.Logger, Turn);
        pipeline.OutOfMemory += RecordOutOfMemory;
    }

    /// <summary>How long one connection may run messages before its loop's other clients get
    /// their turn: a few slow steps' worth, far longer than a read's worth of fast ones.</summary>
    public static readonly TimeSpan Turn = TimeSpan.FromMicroseconds(200);

    public ListenerOptions Options { get; }

    public ConnectionLimits Limits => Options.Limits;

    public ConnectionSlots Slots { get; }

    public ListenerCounters Counters => Exchange.Counters;

    public ExchangeContext Exchange { get; }

    /// <summary>The first time one of its steps ran out of memory on this loop; null if none has.
    /// Safe from any thread.</summary>
    public OutOfMemoryFault? OutOfMemory => Volatile.Read(ref _outOfMemory);

    public void Dispose() => Exchange.Pipeline.Dispose();

    /// <summary>Only the first: the watchdog reports it once, and nothing is allocated again
    /// while memory is short.</summary>
    private void RecordOutOfMemory(int step)
    {
        if (_outOfMemory is null)
        {
            int handle = _loop.Reactor.Activity.Current.Handle;
            Volatile.Write(ref _outOfMemory, new OutOfMemoryFault(step, _loop.Reactor.HandlerOf(handle) as Connection));
        }
    }
}

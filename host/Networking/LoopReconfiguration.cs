namespace PluggableEcho.Host.Networking;

/// <summary>What a reload changes on one loop, all of it made beforehand off the loop (pipelines
/// built, new addresses bound), so that the loop only swaps references between two events.</summary>
/// <param name="Kept">Listeners that go on, each with its new settings and this loop's new pipeline.</param>
/// <param name="Added">This loop's side of the listeners the reload adds.</param>
/// <param name="Removed">Listeners the reload drops: they stop accepting and their clients finish.</param>
/// <param name="Rebound">Kept listeners whose address changed: their old sockets close once the
/// new ones (in <paramref name="Acceptors"/>) accept.</param>
/// <param name="Acceptors">New listening sockets this loop accepts from.</param>
/// <param name="MoveAfter">How long the connections open now keep their pipeline before they move
/// to the new one at a message boundary: <c>reload.drain_timeout</c>, or zero under <c>reload.existing: switch</c>.</param>
/// <param name="ShutdownTimeout">How long the clients of a removed listener have to finish.</param>
internal sealed record LoopReconfiguration(
    IReadOnlyList<KeptListener> Kept,
    IReadOnlyList<LoopListener> Added,
    IReadOnlyList<LoopListener> Removed,
    IReadOnlyList<LoopListener> Rebound,
    IReadOnlyList<Acceptor> Acceptors,
    ServedGeneration Generation,
    TimeSpan MoveAfter,
    TimeSpan ShutdownTimeout);

/// <summary>A listener a reload keeps, with the settings and the pipeline it gets on one loop.</summary>
internal sealed record KeptListener(LoopListener Listener, ListenerOptions Options, Pipeline.IMessagePipeline Pipeline);

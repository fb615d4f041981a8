namespace PluggableEcho.Host.Observability;

/// <summary>What the reloads of a running server come to, for its instruments.</summary>
/// <param name="Generation">The generation new connections get: 1 at start, one more per reload.</param>
/// <param name="Reloaded">Reloads that succeeded.</param>
/// <param name="Failed">Reloads that failed, the running generation going on.</param>
/// <param name="Live">Generations some connection still uses, the running one included.</param>
internal readonly record struct ReloadFigures(int Generation, long Reloaded, long Failed, int Live);

namespace PluggableEcho.Host.Reload;

/// <summary>What one reload did: the generation that runs now and what changed, or every problem
/// that stopped it (the running generation then goes on untouched).</summary>
/// <param name="Generation">The generation running once the reload is over: the new one, or the
/// one that went on.</param>
/// <param name="Changes">What the new generation changed, one line each: steps, plugins and their
/// versions, listeners. Empty when it failed, or when nothing changed.</param>
/// <param name="Problems">Why it failed, as <c>check</c> reports them (file:line:column); empty
/// when it succeeded.</param>
/// <param name="Warnings">What it noticed without failing: plugins not loaded, say.</param>
internal sealed record ReloadOutcome(int Generation, IReadOnlyList<string> Changes, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Problems.Count == 0;
}

namespace PluggableEcho.Host.Networking;

/// <summary>What a reload does to the connections open at the time: <c>reload.existing</c>.</summary>
internal enum ExistingConnections
{
    /// <summary>Each keeps its pipeline until it closes or <c>reload.drain_timeout</c> passes, then
    /// moves to the new one at its next message boundary.</summary>
    Keep,

    /// <summary>Each moves to the new pipeline at its next message boundary.</summary>
    Switch,
}

namespace PluggableEcho.Host.Networking;

/// <summary>A step that threw <see cref="OutOfMemoryException"/> on a loop, as the loop saw it.</summary>
/// <param name="Step">How reports name it: <c>step 2 'rot13' (echo.yaml:5:5)</c>.</param>
/// <param name="Peer">The connection whose message it was running, as reports name it.</param>
internal sealed record OutOfMemoryFault(string Step, string Peer);

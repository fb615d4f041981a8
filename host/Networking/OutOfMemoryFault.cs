namespace PluggableEcho.Host.Networking;

/// <summary>A step that threw <see cref="OutOfMemoryException"/> on a loop, as the loop saw it.</summary>
/// <param name="Step">Its index in the listener's pipeline.</param>
/// <param name="ServedFor">The connection whose message it was running; null if it is not known.</param>
internal sealed record OutOfMemoryFault(int Step, Connection? ServedFor);

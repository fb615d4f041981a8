namespace PluggableEcho.Host.Networking;

/// <summary>What a socket is ready for, or what the loop wants to hear about.</summary>
[Flags]
internal enum Readiness
{
    None = 0,
    Readable = 1,
    Writable = 2,
}

/// <summary>One fired event: errors and hang-ups arrive as readable and writable, so the next
/// receive or send meets them on the ordinary path.</summary>
internal readonly record struct PollEvent(int Handle, Readiness Readiness);

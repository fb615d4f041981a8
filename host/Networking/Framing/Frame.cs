namespace PluggableEcho.Host.Networking.Framing;

/// <summary>
/// Where one message sits at the front of the received bytes: the message is the first
/// <see cref="MessageLength"/> bytes, and the bytes up to <see cref="Length"/> end it (a line's
/// terminator, say); they are sent back after the reply.
/// </summary>
internal readonly record struct Frame(int MessageLength, int Length);

using System.Net;

namespace PluggableEcho.Host.Observability;

/// <summary>Where the admin endpoint listens: HTTP, off the event loops, never on a data port.</summary>
internal sealed record AdminOptions(IPEndPoint Listen);

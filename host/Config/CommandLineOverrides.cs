using System.Net;

namespace PluggableEcho.Host.Config;

/// <summary>What the command line sets in place of the config's; each null leaves the file's.
/// Either applies to a config with one listener only.</summary>
/// <param name="Listen"><c>--listen</c>: its address.</param>
/// <param name="Framing"><c>--framing</c>: its framing.</param>
internal sealed record CommandLineOverrides(IPEndPoint? Listen = null, Framing? Framing = null)
{
    public static readonly CommandLineOverrides None = new();
}

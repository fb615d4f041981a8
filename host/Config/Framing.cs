using PluggableEcho.Host.Networking.Framing;

namespace PluggableEcho.Host.Config;

/// <summary>How the byte stream is cut into messages: <c>framing:</c>.</summary>
internal enum Framing
{
    Line,
    Raw,
    LengthPrefixed,
}

internal static class Framers
{
    public static IFramer For(Framing framing) => framing switch
    {
        Framing.Raw => RawFramer.Instance,
        Framing.LengthPrefixed => LengthPrefixedFramer.Instance,
        _ => LineFramer.Instance,
    };
}

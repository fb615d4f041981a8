using System.ComponentModel.DataAnnotations;

namespace PluggableEcho.Host.Networking;

/// <summary>What a message longer than <see cref="ServerLimits.MaxMessageBytes"/> costs its client.</summary>
internal enum OversizePolicy
{
    /// <summary>Tell the client, send the replies before it, then close.</summary>
    Close,

    /// <summary>Tell the client in place of that message's reply, drop the message, go on.</summary>
    Skip,
}

/// <summary>
/// The bounds that keep one client, or many, from taking the server down: the YAML's
/// <c>limits:</c> section (snake_case keys), with defaults fit for a public-facing server.
/// </summary>
internal sealed class ServerLimits
{
    /// <summary>Clients over this many, across all loops, are told so and closed.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>A connection that neither sends nor takes a byte for this long is closed. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>The longest framed message; see <see cref="OnOversize"/> for what a longer one costs.</summary>
    [Range(1, 1 << 30)]
    public int MaxMessageBytes { get; set; } = 1 << 20;

    public OversizePolicy OnOversize { get; set; } = OversizePolicy.Close;

    /// <summary>Above this much unsent output a client's input is no longer read until it has
    /// taken its replies down to a quarter of it: the bound on what a client that never reads
    /// can make the server hold.</summary>
    [Range(1024, 1 << 30)]
    public int OutputBufferBytes { get; set; } = 1 << 20;

    /// <summary>How long a stopping server lets its clients take the replies still queued for them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public int OutputLowWatermark => OutputBufferBytes / 4;
}

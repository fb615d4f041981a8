namespace PluggableEcho.Host.Networking;

/// <summary>What a message longer than <see cref="ConnectionLimits.MaxMessageBytes"/> costs its client.</summary>
internal enum OversizePolicy
{
    /// <summary>Tell the client, send the replies before it, then close.</summary>
    Close,

    /// <summary>Tell the client in place of that message's reply, drop the message, go on.</summary>
    Skip,
}

/// <summary>
/// The bounds that keep one client, or many, from taking a listener down. Plain values: the
/// config checks their ranges before they get here.
/// </summary>
internal sealed record ConnectionLimits
{
    /// <summary>Clients of one listener over this many, across all loops, are told so and closed.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Clients of one listener from one address over this many, across all loops, are
    /// told so and closed; behind a <c>proxy_protocol</c> header the address is the client's it
    /// names. Zero: no limit, the default, since behind a balancer without the header, or
    /// behind NAT, every client has the same address.</summary>
    public int MaxConnectionsPerIp { get; init; }

    /// <summary>A connection that neither sends nor takes a byte for this long is closed. Zero: never.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A message begun and not whole this long after its first byte ends the connection
    /// (trickled bytes do not extend it). Zero: never.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A client whose unsent output stays at <see cref="OutputBufferBytes"/> (it is not
    /// read from, since it does not read) this long is closed. Zero: never.</summary>
    public TimeSpan OutputStallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest framed message; see <see cref="OnOversize"/> for what a longer one costs.</summary>
    public int MaxMessageBytes { get; init; } = 1 << 20;

    public OversizePolicy OnOversize { get; init; } = OversizePolicy.Close;

    /// <summary>Above this much unsent output a client's input is no longer read until it has
    /// taken its replies down to <see cref="OutputLowWatermark"/>: the bound on what a client
    /// that never reads can make the server hold.</summary>
    public int OutputBufferBytes { get; init; } = 1 << 20;

    /// <summary>A connection older than this is ended at its next message boundary, as a
    /// stopping server ends it, so that clients that reconnect spread over a grown fleet. Zero: never.</summary>
    public TimeSpan MaxConnectionDuration { get; init; } = TimeSpan.Zero;

    /// <summary>On a listener with <c>proxy_protocol</c>, how long a new connection may take to
    /// send its whole PROXY header.</summary>
    public TimeSpan ProxyHeaderTimeout { get; init; } = TimeSpan.FromSeconds(3);

    public int OutputLowWatermark => OutputBufferBytes / 4;
}

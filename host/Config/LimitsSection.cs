using System.ComponentModel.DataAnnotations;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Config;

/// <summary>
/// The YAML's <c>limits:</c> section as written (snake_case keys), with the ranges it accepts and
/// defaults fit for a public-facing server; <see cref="ToConnectionLimits"/> hands the values on.
/// </summary>
internal sealed class LimitsSection
{
    private static readonly ConnectionLimits Defaults = new();

    /// <summary>Clients over this many, across all loops, are told so and closed.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = Defaults.MaxConnections;

    /// <summary>Clients over this many from one address, across all loops, are told so and closed. Zero: no limit.</summary>
    [Range(0, 1_000_000)]
    public int MaxConnectionsPerIp { get; set; } = Defaults.MaxConnectionsPerIp;

    /// <summary>A connection that neither sends nor takes a byte for this long is closed. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = Defaults.IdleTimeout;

    /// <summary>A message begun and not whole this long after its first byte ends the connection. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MessageTimeout { get; set; } = Defaults.MessageTimeout;

    /// <summary>The longest framed message; see <see cref="OnOversize"/> for what a longer one costs.</summary>
    [Range(1, 1 << 30)]
    public int MaxMessageBytes { get; set; } = Defaults.MaxMessageBytes;

    public OversizePolicy OnOversize { get; set; } = Defaults.OnOversize;

    /// <summary>Above this much unsent output a client's input is no longer read until it has
    /// taken its replies down to a quarter of it.</summary>
    [Range(1024, 1 << 30)]
    public int OutputBufferBytes { get; set; } = Defaults.OutputBufferBytes;

    /// <summary>A client whose unsent output stays at the limit this long is closed. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OutputStallTimeout { get; set; } = Defaults.OutputStallTimeout;

    /// <summary>A connection older than this is ended at its next message boundary. Zero: never.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan MaxConnectionDuration { get; set; } = Defaults.MaxConnectionDuration;

    /// <summary>On a listener with <c>proxy_protocol</c>, how long a new connection may take to send its header.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan ProxyHeaderTimeout { get; set; } = Defaults.ProxyHeaderTimeout;

    /// <summary>What every connection's unfinished input and unsent output may hold together,
    /// the whole server's; by default a quarter of the memory the process may use.</summary>
    [Range(typeof(long), "1048576", "1125899906842624")]
    public long MaxBufferedBytes { get; set; } = DefaultMaxBufferedBytes;

    /// <summary>How long a stopping server lets its clients take the replies still queued for them.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A quarter of what the process may use: the machine's memory, or its container's
    /// limit (the runtime reads the cgroup), so that the rest is left to the heap's own needs,
    /// the plugins, and the kernel's socket buffers.</summary>
    public static long DefaultMaxBufferedBytes { get; } = Math.Max(64L << 20, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4);

    /// <summary>A loop in one step (one socket's handler) this long is reported stuck. Zero: never.
    /// The whole server's, as it is about loops, not listeners.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>What a stuck loop, or a step out of memory, does to the process. The whole server's.</summary>
    public StuckPolicy OnStuck { get; set; } = StuckPolicy.Report;

    /// <summary>The keys only the top-level <c>limits:</c> may set.</summary>
    public static readonly IReadOnlyList<string> ServerWide = [nameof(ShutdownTimeout), nameof(MaxBufferedBytes), nameof(StepTimeout), nameof(OnStuck)];

    /// <summary>What a listener's own <c>limits:</c> start from: the top level's.</summary>
    public LimitsSection Copy() => (LimitsSection)MemberwiseClone();

    public ConnectionLimits ToConnectionLimits() => new()
    {
        MaxConnections = MaxConnections,
        MaxConnectionsPerIp = MaxConnectionsPerIp,
        IdleTimeout = IdleTimeout,
        MessageTimeout = MessageTimeout,
        OutputStallTimeout = OutputStallTimeout,
        MaxMessageBytes = MaxMessageBytes,
        OnOversize = OnOversize,
        OutputBufferBytes = OutputBufferBytes,
        MaxConnectionDuration = MaxConnectionDuration,
        ProxyHeaderTimeout = ProxyHeaderTimeout,
    };
}

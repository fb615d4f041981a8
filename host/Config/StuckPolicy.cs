namespace PluggableEcho.Host.Config;

/// <summary>What a loop stuck in a step, or a step out of memory, does to the process: <c>limits.on_stuck</c>.</summary>
internal enum StuckPolicy
{
    /// <summary>Logged, and not ready (<c>/readyz</c> 503) while it lasts; the other loops serve on.</summary>
    Report,

    /// <summary>Reported, then the server stops as on SIGTERM and exits with its own code, for a
    /// supervisor to start it again.</summary>
    Exit,
}

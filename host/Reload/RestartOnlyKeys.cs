using PluggableEcho.Host.Config;

namespace PluggableEcho.Host.Reload;

/// <summary>The keys a running server cannot take: a changed one fails the reload (the loops and
/// their pollers are made once), or is kept with a warning until a restart.</summary>
internal static class RestartOnlyKeys
{
    /// <summary>Changes that fail the reload, each naming its key.</summary>
    public static IEnumerable<string> Problems(ServerSettings running, ServerSettings next)
    {
        if (running.Loops != next.Loops)
        {
            yield return Problem(next, "loops", running.Loops, next.Loops);
        }

        if (running.Poller != next.Poller)
        {
            yield return Problem(next, "poller", Lower(running.Poller), Lower(next.Poller));
        }
    }

    /// <summary>Changes the reload goes on without: they take effect at the next restart.</summary>
    public static IEnumerable<string> Warnings(ServerSettings running, ServerSettings next)
    {
        (string Key, bool Changed)[] kept =
        [
            ("admin", running.Admin != next.Admin),
            ("log_level", running.LogLevel != next.LogLevel),
            ("log_format", running.LogFormat != next.LogFormat),
            ("spin", running.Spin != next.Spin),
            ("limits.step_timeout", running.StepTimeout != next.StepTimeout),
            ("limits.on_stuck", running.OnStuck != next.OnStuck),
            ("limits.max_buffered_bytes", running.MaxBufferedBytes != next.MaxBufferedBytes),
            ("limits.shutdown_timeout", running.ShutdownTimeout != next.ShutdownTimeout),
        ];
        return kept.Where(k => k.Changed).Select(k => $"{next.ConfigFile}: {k.Key} changed: it takes effect at the next restart; the server goes on with the value it started with");
    }

    /// <summary><paramref name="next"/> with the running values of the keys that wait for a restart.</summary>
    public static ServerSettings AsRunning(ServerSettings running, ServerSettings next) => next with
    {
        Admin = running.Admin,
        LogLevel = running.LogLevel,
        LogFormat = running.LogFormat,
        Spin = running.Spin,
        StepTimeout = running.StepTimeout,
        OnStuck = running.OnStuck,
        MaxBufferedBytes = running.MaxBufferedBytes,
        ShutdownTimeout = running.ShutdownTimeout,
    };

    private static string Problem(ServerSettings next, string key, object running, object wanted) =>
        $"{next.ConfigFile}: {key}: cannot change from {running} to {wanted} while the server runs; restart the server to apply it";

    private static string Lower(object value) => value.ToString()!.ToLowerInvariant();
}

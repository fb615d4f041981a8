namespace PluggableEcho.Host.Cli;

/// <summary>What every command's exit code means; each command's help says which it uses.</summary>
internal static class ExitCodes
{
    /// <summary>Done, and all is well: stopped cleanly, OK, every case or plugin passed.</summary>
    public const int Ok = 0;

    /// <summary>The command ran and found a problem: cannot start, a bad config, a failed case, a
    /// broken plugin, a lost connection.</summary>
    public const int Failed = 1;

    /// <summary>The command line itself is wrong.</summary>
    public const int BadCommandLine = 2;

    /// <summary><c>run</c>: the server stopped because a loop was stuck in a step or a step ran
    /// out of memory (<c>limits.on_stuck: exit</c>), or a loop stuck in a step did not stop with
    /// the others. A supervisor restarts it (systemd's <c>Restart=on-failure</c>).</summary>
    public const int LoopFault = 3;
}

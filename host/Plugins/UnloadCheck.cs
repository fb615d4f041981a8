using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// Whether disposed plugins really unloaded. Unloading a load context only starts it: the runtime
/// frees it once nothing refers to it any more, which takes a few collections and a pass of the
/// finalizer thread, and never happens while a thread, a timer, a static event or a cache still
/// holds one of its types or objects. This collects until every context has gone or a bound passes.
/// </summary>
internal static partial class UnloadCheck
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(500);

    /// <param name="plugins">Taken before the plugins were disposed (<see cref="PluginSet.ForUnloadCheck"/>).</param>
    /// <param name="bound">How long to keep trying before calling one still alive.</param>
    /// <returns>Those still alive once <paramref name="bound"/> has passed, in the order given;
    /// empty when every one unloaded.</returns>
    public static async Task<IReadOnlyList<UnloadingPlugin>> StillAliveAfterAsync(
        IReadOnlyList<UnloadingPlugin> plugins, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan pause = FirstPause;
        while (true)
        {
            Collect();
            UnloadingPlugin[] alive = [.. plugins.Where(p => p.IsAlive)];
            TimeSpan left = bound - clock.Elapsed;
            if (alive.Length == 0 || left <= TimeSpan.Zero)
            {
                return alive;
            }

            // Each full collection pauses every event loop for a moment: spaced out, growing
            // apart, they cost little over the bound, and a plugin's thread that is about to end
            // gets the time to.
            await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    /// <summary>One warning (event 313) for each plugin <see cref="StillAliveAfterAsync"/> found alive.</summary>
    public static void Report(ILogger logger, IReadOnlyList<UnloadingPlugin> alive, TimeSpan bound)
    {
        foreach (UnloadingPlugin plugin in alive)
        {
            StillAlive(logger, plugin.Name, bound.TotalSeconds, plugin.AssemblyPath);
        }
    }

    [LoggerMessage(EventId = 313, Level = LogLevel.Warning,
        Message = "plugin {Plugin}'s load context is still alive {Seconds} s after unload: likely a thread, timer or static event it started, "
            + "or an object of it the host still holds ({AssemblyPath})")]
    public static partial void StillAlive(ILogger logger, string plugin, double seconds, string assemblyPath);

    /// <summary>Collects twice around the finalizers: a context's unload runs partly in them.</summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}

namespace PluggableEcho.Host.Config;

/// <summary>
/// What <c>loops: auto</c> means: one event loop per core the process may use, as
/// <see cref="Environment.ProcessorCount"/> counts them (it follows the affinity mask, such as
/// <c>taskset</c>'s, and a cgroup's CPU limit), except on two cores or fewer, where it is one.
/// </summary>
/// <remarks>
/// Measured with <c>tests/Benchmarks/loops.sh</c> on 2 cores shared with the client: one loop
/// gave 1.37x the replies of two in ping-pong (50 connections) with a fifth of the p99, and 1.21x
/// in a pipeline with a third of it; the kernel's own network work and anything else on the
/// machine need the other core. One loop already costs about what the C limit does per message.
/// With more cores each loop has room beside that work, and one per core is the usual choice
/// (nginx's worker_processes auto, HAProxy's nbthread).
/// </remarks>
internal static class AutoLoops
{
    public static int Count => For(Environment.ProcessorCount);

    public static int For(int cores) => cores > 2 ? cores : 1;
}

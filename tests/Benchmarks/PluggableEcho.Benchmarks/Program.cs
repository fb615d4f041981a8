using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace PluggableEcho.Benchmarks;

internal static class Program
{
    /// <summary>Pick benchmarks with BenchmarkDotNet's options, e.g. <c>--filter *Pipeline*</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, Config);

    // In this process, as built: a separately generated benchmark project would rebuild the host
    // with one shared output folder, which its plugin copying does not expect.
    private static IConfig Config =>
        DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
}

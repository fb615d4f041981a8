using BenchmarkDotNet.Running;

namespace PluggableEcho.Benchmarks;

internal static class Program
{
    /// <summary>Pick benchmarks with BenchmarkDotNet's options, e.g. <c>--filter *Pipeline*</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

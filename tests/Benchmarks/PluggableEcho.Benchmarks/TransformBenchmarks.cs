using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Benchmarks;

/// <summary>
/// Each sample transform on one message, against copying the same bytes into the same reused
/// output (the least any transform must do), so that the ratio shows what the transform adds.
/// </summary>
[MemoryDiagnoser]
public class TransformBenchmarks : MessageShapes
{
    private readonly ByteBuffer _output = new();
    private PluginSet _plugins = null!;
    private ITransform _uppercase = null!;
    private ITransform _rot13 = null!;
    private ITransform _reverse = null!;
    private byte[] _message = [];

    [GlobalSetup]
    public void Setup()
    {
        _plugins = PluginSet.Load(SamplePlugins.Folder, NullLoggerFactory.Instance);
        _uppercase = Create("uppercase");
        _rot13 = Create("rot13");
        _reverse = Create("reverse");
        _message = SampleMessage(Size);
        _output.GetSpan(Size * 2); // Grown once, as a loop's buffers are in steady state.
    }

    [GlobalCleanup]
    public void Cleanup() => _plugins.Dispose();

    [Benchmark(Baseline = true, Description = "Span.CopyTo")]
    public int Copy()
    {
        _output.Clear();
        _message.CopyTo(_output.GetSpan(_message.Length));
        _output.Advance(_message.Length);
        return _output.Length;
    }

    [Benchmark]
    public int Uppercase() => Run(_uppercase);

    [Benchmark]
    public int Rot13() => Run(_rot13);

    [Benchmark]
    public int Reverse() => Run(_reverse);

    private int Run(ITransform transform)
    {
        _output.Clear();
        transform.Transform(_message, _output);
        return _output.Length;
    }

    private ITransform Create(string name)
    {
        TransformRegistration registration = _plugins.Transforms[name];
        object[] options = registration.OptionsType is { } type ? [Activator.CreateInstance(type)!] : [];
        return (ITransform)ActivatorUtilities.CreateInstance(registration.Services, registration.TransformType, options);
    }
}

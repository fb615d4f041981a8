using BenchmarkDotNet.Attributes;

namespace PluggableEcho.Benchmarks;

/// <summary>The message lengths and kinds of text the transform and framer benchmarks run on.</summary>
public abstract class MessageShapes
{
    [Params(64, 1024, 65536)]
    public int Size { get; set; }

    /// <summary>ascii, or mixed: one in eight characters outside ASCII (é, ß, ж, 😀).</summary>
    [Params("ascii", "mixed")]
    public string Text { get; set; } = "ascii";

    /// <summary>Text of this run's kind, <paramref name="length"/> bytes long.</summary>
    protected byte[] SampleMessage(int length) => SampleText.Of(length, Text == "mixed");
}

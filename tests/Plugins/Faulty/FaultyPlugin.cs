using System.Buffers;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Faulty;

/// <summary>Transforms that fail on purpose, to show that a failure stays contained.</summary>
public sealed class FaultyPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) => transforms
        .Add<ThrowsOnMessage>("throws-on-boom")
        .Add<ThrowsWhenBuilt>("throws-when-built")
        .Add<ThrowsWhenInitialised>("throws-when-initialised")
        .Add<PickyAboutOptions, FaultyOptions>("picky")
        .Add<HangsOnMessage, HangOptions>("hangs-on")
        .Add<RunsOutOfMemoryOnMessage, OutOfMemoryOptions>("runs-out-of-memory-on");
}

/// <summary>Fails on messages that contain "boom", after writing part of its output.</summary>
internal sealed class ThrowsOnMessage : ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        message.CopyTo(output.GetSpan(message.Length));
        output.Advance(message.Length);
        if (message.IndexOf("boom"u8) >= 0)
        {
            throw new InvalidOperationException("the message went boom");
        }
    }
}

/// <summary>Passes messages through; what it is for is its options.</summary>
internal sealed class PickyAboutOptions(FaultyOptions options) : ITransform
{
    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(options);
        output.Write(message);
    }
}

internal sealed class ThrowsWhenBuilt : ITransform
{
    public ThrowsWhenBuilt() => throw new InvalidOperationException("cannot start without a flux capacitor");

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
    }
}

/// <summary>Its static field's initialiser throws; without a static constructor it would run only
/// when <see cref="Transform"/> first touches the field.</summary>
internal sealed class ThrowsWhenInitialised : ITransform
{
    private static readonly byte[] Table = BuildTable();

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output) => output.Write(Table);

    private static byte[] BuildTable() => throw new InvalidOperationException("the lookup table is missing");
}

using System.Buffers;
using System.Text;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Faulty;

/// <summary>What holds every <c>hangs-on</c> step of this load of the plugin. A test releases them
/// in its teardown (the plugin is loaded in a context of its own, so through reflection).</summary>
public static class Hangs
{
    private static readonly ManualResetEventSlim Released = new();

    public static void ReleaseAll() => Released.Set();

    internal static void Wait(TimeSpan atMost) => Released.Wait(atMost);
}

/// <summary><c>hangs-on</c>: a step that never returns on one message, as a transform with an
/// endless loop would, until the test releases it; bounded, so that no test leaves a thread stuck
/// for good. Other messages pass through.</summary>
public sealed class HangOptions
{
    /// <summary>The message it hangs on.</summary>
    public string Message { get; set; } = "hang";

    /// <summary>The longest it hangs, released or not.</summary>
    public TimeSpan AtMost { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class HangsOnMessage(HangOptions options) : ITransform
{
    private readonly byte[] _trigger = Encoding.UTF8.GetBytes(options.Message);

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        if (message.SequenceEqual(_trigger))
        {
            Hangs.Wait(options.AtMost);
        }

        output.Write(message);
    }
}

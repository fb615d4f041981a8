using System.Buffers;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Caesar;

internal sealed partial class CaesarTransform : ITransform
{
    private readonly int _shift;
    private readonly bool _upperCase;

    public CaesarTransform(CaesarOptions options, Alphabet alphabet, ILogger<CaesarTransform> logger)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        _shift = options.Direction == Direction.Forward ? options.Shift : Alphabet.Letters - options.Shift;
        _upperCase = options.UpperCase;
        LogShift(logger, _shift);
    }

    public void Transform(ReadOnlySpan<byte> message, IBufferWriter<byte> output)
    {
        Span<byte> destination = output.GetSpan(message.Length);
        for (int i = 0; i < message.Length; i++)
        {
            byte b = message[i];
            destination[i] = b switch
            {
                >= (byte)'a' and <= (byte)'z' => Alphabet.Shift(b, (byte)'a', _shift),
                >= (byte)'A' and <= (byte)'Z' when _upperCase => Alphabet.Shift(b, (byte)'A', _shift),
                _ => b,
            };
        }

        output.Advance(message.Length);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "caesar shifts by {Shift}")]
    private static partial void LogShift(ILogger logger, int shift);
}

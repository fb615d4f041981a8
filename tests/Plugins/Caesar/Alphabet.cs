namespace PluggableEcho.Plugins.Caesar;

/// <summary>A service the plugin registers itself, taken by its transform's constructor.</summary>
internal sealed class Alphabet
{
    public const int Letters = 26;

    public static byte Shift(byte letter, byte first, int shift) => (byte)(first + ((letter - first + shift) % Letters));
}

namespace PluggableEcho.Plugins.DependentHelper;

public abstract class Exclaimer
{
    protected static ReadOnlySpan<byte> Mark => "!"u8;
}

using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using McMaster.NETCore.Plugins;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// A plugin's own assembly, as its load context gives it: loading it, its types, and those that
/// implement a contract that only looks like the host's. Loading a plugin and examining one go
/// through here alike.
/// </summary>
internal static class PluginAssembly
{
    /// <summary>The host's contract, the one plugins must implement.</summary>
    public static readonly Assembly Contract = typeof(ITransform).Assembly;

    /// <exception cref="PluginLoadException">Says why it cannot be loaded.</exception>
    public static Assembly Load(PluginLoader loader)
    {
        try
        {
            return loader.LoadDefaultAssembly();
        }
        catch (BadImageFormatException)
        {
            throw new PluginLoadException("not a .NET assembly (or built for a runtime this host cannot load)");
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException)
        {
            throw new PluginLoadException($"cannot be loaded: {e.Message.Trim()}");
        }
    }

    /// <param name="types">All of them; or, when some cannot be loaded, those that can.</param>
    /// <param name="reason">Why some cannot, when they cannot.</param>
    public static bool TryGetTypes(Assembly assembly, out Type[] types, [NotNullWhen(false)] out string? reason)
    {
        try
        {
            types = assembly.GetTypes();
            reason = null;
            return true;
        }
        catch (ReflectionTypeLoadException e)
        {
            types = [.. e.Types.OfType<Type>()];
            reason = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message.Trim() ?? "";
            return false;
        }
    }

    /// <summary>The interfaces of <paramref name="types"/> named like one of <paramref name="contractTypes"/>
    /// but from another assembly than the host's contract: a private copy of it, say.</summary>
    public static IEnumerable<(Type Type, Type Contract)> LookAlikes(IEnumerable<Type> types, IReadOnlyCollection<string> contractTypes) =>
        from type in types
        from contract in type.GetInterfaces()
        where contractTypes.Contains(contract.FullName) && contract.Assembly != Contract
        select (type, contract);
}

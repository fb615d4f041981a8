using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Tests.Support;

/// <summary>The transforms of the test run's plugins folder, loaded as the host loads them.</summary>
internal static class Transforms
{
    private static readonly Lazy<PluginSet> LoadedPlugins = new(() => PluginSet.Load(AllPlugins.Folder, NullLoggerFactory.Instance));

    /// <summary>The test run's plugins, loaded once and kept for the whole run.</summary>
    public static PluginSet Plugins => LoadedPlugins.Value;

    public static ITransform Create(string name)
    {
        TransformRegistration registration = Plugins.Transforms[name];
        object[] options = registration.OptionsType is { } type ? [Activator.CreateInstance(type)!] : [];
        return (ITransform)ActivatorUtilities.CreateInstance(registration.Services, registration.TransformType, options);
    }

    public static byte[] Run(string name, byte[] message) => Run(Create(name), message);

    public static byte[] Run(ITransform transform, byte[] message)
    {
        var output = new ByteBuffer();
        transform.Transform(message, output);
        return output.WrittenSpan.ToArray();
    }

    public static string Run(string name, string message) =>
        Encoding.UTF8.GetString(Run(name, Encoding.UTF8.GetBytes(message)));
}

using System.Security.Cryptography;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host;

/// <summary>What the admin endpoint's <c>/config</c> shows, from the parts that run.</summary>
internal static class RunningConfigs
{
    /// <param name="steps">Each listener's, in the config's order.</param>
    public static RunningConfig Of(ServerSettings settings, PluginSet plugins, IReadOnlyList<IReadOnlyList<string>> steps, EchoServer server) => new(
        settings.ConfigFile,
        HashOf(settings.ConfigFile),
        Generation: 1,
        [.. plugins.Plugins.Select(p => new RunningPlugin(
            p.Assembly.Name ?? Path.GetFileNameWithoutExtension(p.AssemblyPath), p.Assembly.Version?.ToString(), p.AssemblyPath,
            [.. p.Transforms.Select(t => t.Name)]))],
        [.. server.LocalEndPoints.Select((endPoint, i) => new RunningListener(
            settings.Listeners[i].Name, endPoint.ToString(), settings.Listeners[i].Framing.ToString().ToLowerInvariant(), steps[i],
            ProxyHeaderProblems.Name(settings.Listeners[i].ProxyProtocol)))],
        server.Loops.Count,
        Pollers.Resolve(settings.Poller).ToString().ToLowerInvariant());

    private static string? HashOf(string file)
    {
        try
        {
            return File.Exists(file) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file))) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // Read at start-up already; gone or locked since, it has no hash to show.
        }
    }
}

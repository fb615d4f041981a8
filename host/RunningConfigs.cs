using System.Security.Cryptography;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Networking;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Observability;
using System.Net;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Host;

/// <summary>What the admin endpoint's <c>/config</c> shows, from the parts that run.</summary>
internal static class RunningConfigs
{
    public static RunningConfig Of(Generation generation, EchoServer server)
    {
        ServerSettings settings = generation.Settings;
        IReadOnlyList<IPEndPoint> bound = server.LocalEndPoints;
        return new RunningConfig(
            settings.ConfigFile,
            generation.ConfigHash,
            generation.Number,
            [.. generation.Plugins.Plugins.Select(p => new RunningPlugin(
                p.Assembly.Name ?? Path.GetFileNameWithoutExtension(p.AssemblyPath), p.Assembly.Version?.ToString(), p.AssemblyPath,
                [.. p.Transforms.Select(t => t.Name)]))],
            [.. settings.Listeners.Select((listener, i) => new RunningListener(
                listener.Name, i < bound.Count ? bound[i].ToString() : listener.Listen.ToString(), listener.Framing.ToString().ToLowerInvariant(),
                generation.Pipelines[i].StepNames, ProxyHeaderProblems.Name(listener.ProxyProtocol)))],
            server.Loops.Count,
            Pollers.Resolve(settings.Poller).ToString().ToLowerInvariant());
    }

    /// <summary>Of the file's bytes as read at start-up or reload; null without a file.</summary>
    public static string? HashOf(string file)
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

using System.ComponentModel.DataAnnotations;
using System.Net;
using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>The YAML's <c>admin:</c> section: where the admin endpoint listens, if anywhere.</summary>
internal sealed class AdminSection
{
    /// <summary>HOST:PORT; required once the section is there.</summary>
    [Required(ErrorMessage = "listen is required, such as listen: 127.0.0.1:9090")]
    public string? Listen { get; set; }

    /// <summary>Whether an address other than loopback may serve it: the endpoint has no authentication.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Checks the address against loopback and the data listeners'.</summary>
    /// <returns>Null when something is wrong; the problems are reported at <paramref name="at"/>.</returns>
    public AdminOptions? ToOptions(IReadOnlyList<ListenerSettings> listeners, Mark at, ConfigProblems problems)
    {
        if (Listen is null)
        {
            return null; // Reported by the binder.
        }

        if (!ListenAddress.TryParse(Listen, out IPEndPoint endPoint, out string error))
        {
            problems.Add(at, $"admin: listen: {error}");
            return null;
        }

        if (!IPAddress.IsLoopback(endPoint.Address) && !AllowRemote)
        {
            problems.Add(at, $"admin: listen: {Listen} is not a loopback address, and the admin endpoint has no authentication; "
                + "listen on 127.0.0.1 or [::1], or set allow_remote: true behind a firewall");
            return null;
        }

        if (listeners.FirstOrDefault(l => endPoint.Port != 0 && l.Listen.Port == endPoint.Port) is { } taken)
        {
            problems.Add(at, $"admin: listen: port {endPoint.Port} is the data listener's ({taken.Listen}); give the admin endpoint a port of its own");
            return null;
        }

        return new AdminOptions(endPoint);
    }

    /// <summary>
    /// Where a server run with this config serves its admin endpoint, for a command that talks to
    /// it (<c>reload</c>): only the <c>admin:</c> section is read, so a mistake elsewhere in a config
    /// just edited does not stop the command; the server reports it.
    /// </summary>
    /// <param name="path">The config file; null for the built-in defaults, which have no admin endpoint.</param>
    /// <returns>The address to connect to (a wildcard address as loopback), or null when the config
    /// has no <c>admin: listen:</c>.</returns>
    /// <exception cref="StartupException">The file cannot be read as YAML, its <c>admin:</c> section
    /// is wrong, or it listens on port 0 (which the config cannot tell).</exception>
    public static IPEndPoint? FindAddress(string? path)
    {
        if (path is null)
        {
            return null;
        }

        var problems = new ConfigProblems(path);
        YamlMappingNode root = YamlFile.ReadRoot(path, problems);
        YamlNode? node = root.Children.FirstOrDefault(entry => YamlValues.Key(entry.Key) == "admin").Value;
        if (node is null || OptionsBinder.Bind(typeof(AdminSection), node, node.Start, "admin", problems) is not AdminSection { Listen: { } listen })
        {
            problems.ThrowIfAny();
            return null;
        }

        if (!ListenAddress.TryParse(listen, out IPEndPoint endPoint, out string error))
        {
            problems.Add(node.Start, $"admin: listen: {error}");
        }
        else if (endPoint.Port == 0)
        {
            problems.Add(node.Start, $"admin: listen: {listen}: port 0, so the server picked a port the config does not tell "
                + "(its log says it: 'admin endpoint on http://…'); give that address on the command line");
        }

        problems.ThrowIfAny();
        return endPoint.Address.Equals(IPAddress.Any) ? new IPEndPoint(IPAddress.Loopback, endPoint.Port)
            : endPoint.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.IPv6Loopback, endPoint.Port)
            : endPoint;
    }
}

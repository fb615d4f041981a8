using System.ComponentModel.DataAnnotations;
using System.Net;
using PluggableEcho.Host.Observability;
using YamlDotNet.Core;

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
}

using System.Globalization;
using System.Net;

namespace PluggableEcho.Host.Config;

/// <summary>Parses <c>HOST:PORT</c>: an IPv4 address, an IPv6 address in brackets, or localhost.</summary>
internal static class ListenAddress
{
    // What a mistake's message advises for IPv6: YAML reads [::1]:8088 as a list, a shell may read it as a pattern.
    private static readonly Advice InYaml = new("\"[::1]:8088\" in quotes", "and then in quotes in YAML: \"[::1]:8088\"");
    private static readonly Advice OnCommandLine = new("'[::1]:8088' in quotes", "quoted for the shell: '[::1]:8088'");

    /// <summary>An address written in a YAML file.</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint, out string error) => TryParse(text, InYaml, out endPoint, out error);

    /// <summary>An address given on the command line: its mistakes speak of the shell, not of YAML.</summary>
    public static bool TryParseArgument(string text, out IPEndPoint endPoint, out string error) =>
        TryParse(text, OnCommandLine, out endPoint, out error);

    private static bool TryParse(string text, Advice advice, out IPEndPoint endPoint, out string error)
    {
        endPoint = ServerSettings.DefaultListen;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || text.EndsWith(']'))
        {
            error = $"'{text}' is not HOST:PORT (for example 127.0.0.1:8088, or {advice.Example})";
            return false;
        }

        string host = text[..colon];
        string port = text[(colon + 1)..];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int portNumber)
            || portNumber > IPEndPoint.MaxPort)
        {
            error = $"'{port}' in '{text}' is not a port number (0 to 65535; 0 picks a free port)";
            return false;
        }

        if (!TryParseHost(host, out IPAddress? address))
        {
            error = $"'{host}' in '{text}' is not an IP address or localhost (IPv6 goes in brackets, {advice.Brackets})";
            return false;
        }

        endPoint = new IPEndPoint(address, portNumber);
        error = "";
        return true;
    }

    private static bool TryParseHost(string host, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
            return true;
        }

        bool bracketed = host.StartsWith('[') && host.EndsWith(']');
        string literal = bracketed ? host[1..^1] : host;
        bool isIPv6 = literal.Contains(':');
        // IPAddress.TryParse also takes shorthands such as "127.1"; only dotted quads are meant here.
        bool wellFormed = isIPv6 ? bracketed : !bracketed && IsDottedQuad(literal);
        if (wellFormed && IPAddress.TryParse(literal, out address))
        {
            return true;
        }

        address = null;
        return false;
    }

    // Four decimal parts; "010" is refused, which the parser would read as octal 8.
    private static bool IsDottedQuad(string text) =>
        text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && (p.Length == 1 || p[0] != '0'));

    /// <param name="Example">An IPv6 example, written as it must be there.</param>
    /// <param name="Brackets">How an address in brackets is written there.</param>
    private sealed record Advice(string Example, string Brackets);
}

using System.Net;
using PluggableEcho.Host.Networking.Proxy;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// The keys a listener takes, as they are read: at the top level (the only listener of a config
/// without <c>listeners:</c>, and the defaults of each listener of one with it), or in an item of
/// <c>listeners:</c>, which starts from the top level's.
/// </summary>
internal sealed class ListenerDraft
{
    public static readonly IReadOnlyList<string> Keys = ["listen", "framing", "pipeline", "on_error", "limits", "proxy_protocol"];

    private IPEndPoint? _listen;
    private Framing _framing = Framing.Line;
    private IReadOnlyList<StepSettings> _pipeline = [StepSettings.Default];
    private ErrorPolicy _onError = ErrorPolicy.Reply;
    private LimitsSection _limits = new();
    private ProxyProtocol _proxyProtocol = ProxyProtocol.Off;

    /// <summary>Where its <c>listen:</c> is written; null when it has none.</summary>
    public Mark? ListenAt { get; private set; }

    /// <summary>The top level's limits: <c>shutdown_timeout</c>, <c>max_buffered_bytes</c>, <c>step_timeout</c> and <c>on_stuck</c> are the whole server's.</summary>
    public LimitsSection Limits => _limits;

    /// <summary>A listener of <c>listeners:</c>: all of these but the address.</summary>
    public ListenerDraft Inherit() => new()
    {
        _framing = _framing, _pipeline = _pipeline, _onError = _onError, _limits = _limits.Copy(), _proxyProtocol = _proxyProtocol,
    };

    /// <summary>Reads <paramref name="key"/> if it is a listener's.</summary>
    /// <param name="context">Before a message: <c>listeners[1]: </c>, or nothing at the top level.</param>
    /// <returns>False if it is not a listener's key.</returns>
    public bool TryRead(string key, YamlNode keyNode, YamlNode value, string context, ConfigProblems problems)
    {
        switch (key)
        {
            case "listen":
                ListenAt = keyNode.Start;
                if (YamlValues.Scalar(value, $"{context}listen", "an address such as 127.0.0.1:8088", problems) is { } text)
                {
                    if (ListenAddress.TryParse(text, out IPEndPoint parsed, out string error))
                    {
                        _listen = parsed;
                    }
                    else
                    {
                        problems.Add(value.Start, $"{context}listen: {error}");
                    }
                }

                return true;
            case "framing":
                if (YamlValues.Scalar(value, $"{context}framing", "line, raw or length-prefixed", problems) is { } name)
                {
                    _framing = ParseFraming(name, value, context, problems) ?? _framing;
                }

                return true;
            case "pipeline":
                _pipeline = StepReader.ReadPipeline(value, problems);
                return true;
            case "on_error":
                _onError = StepReader.ReadOnError(value, problems) ?? _onError;
                return true;
            case "proxy_protocol":
                _proxyProtocol = EnumValues.Read<ProxyProtocol>(value, $"{context}proxy_protocol", "PROXY protocol version", problems) ?? _proxyProtocol;
                return true;
            case "limits":
                if (context.Length == 0)
                {
                    _limits = OptionsBinder.Bind(typeof(LimitsSection), value, value.Start, "limits", problems) as LimitsSection ?? _limits;
                }
                else
                {
                    RefuseServerWide(value, context, problems);
                    OptionsBinder.BindOnto(_limits, value, $"{context}limits", problems);
                }

                return true;
            default:
                return false;
        }
    }

    /// <param name="listen">The address it takes when it names none (the top level's only listener).</param>
    /// <param name="problems">Whose file its <c>listen:</c> is in.</param>
    public ListenerSettings Finish(string name, IPEndPoint listen, ConfigProblems problems) =>
        new(name, _listen ?? listen, _framing, _pipeline, _onError, _limits.ToConnectionLimits(), _proxyProtocol, ListenOrigin(problems));

    private string ListenOrigin(ConfigProblems problems) => (ListenAt, problems.File) switch
    {
        ({ } at, _) => $"listen: at {problems.Locate(at)}",
        (null, ConfigLoader.NoFile) => "the built-in default",
        (null, string file) => $"the default: {file} has no listen:",
    };

    /// <summary>Whether it names an address it can listen on; one written wrong is reported already.</summary>
    public bool HasAddress => _listen is not null;

    private static Framing? ParseFraming(string text, YamlNode node, string context, ConfigProblems problems)
    {
        Framing? framing = FramingNames.Parse(text);
        if (framing is null)
        {
            problems.Add(node.Start, $"{context}framing: unknown framing '{text}' (known: {FramingNames.Listed})");
        }

        return framing;
    }

    private static void RefuseServerWide(YamlNode limits, string context, ConfigProblems problems)
    {
        if (limits is not YamlMappingNode mapping)
        {
            return;
        }

        foreach (YamlNode key in mapping.Children.Keys)
        {
            if (LimitsSection.ServerWide.FirstOrDefault(option => OptionNaming.Matches(option, YamlValues.Key(key))) is { } option)
            {
                problems.Add(key.Start, $"{context}limits: {OptionNaming.SnakeCase(option)} is the whole server's: set it in the top-level limits:");
            }
        }
    }
}

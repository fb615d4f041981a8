using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Cli;

/// <summary><c>reload [HOST:PORT]</c>: asks a running server to reload, through its admin endpoint's <c>POST /reload</c>.</summary>
internal static class ReloadCommand
{
    private const string Description = """
        Ask a running server to reload its config and plugins, through its admin endpoint (admin:
        listen: in its config), and print its answer: the generation that runs now and what
        changed, or every problem (file:line:column) on standard error while the running
        generation goes on unchanged. Without HOST:PORT, the address is read from the config's
        admin: listen: (--config, or the default config as run finds it).
        Exit codes: 0 reloaded, 1 the reload failed or the endpoint cannot be reached or answers
        wrongly, 2 bad command line.
        """;

    /// <summary>How long the answer may take: a reload loads plugins and binds listeners, and waits
    /// for one already under way.</summary>
    internal static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);

    private const string Reloaded = "reloaded: ";
    private const string Failed = "reload failed: ";

    public static Command Create()
    {
        Argument<IPEndPoint> address = CommonOptions.Server();
        address.Description = "the admin endpoint (default: the config's admin: listen:)";
        address.Arity = ArgumentArity.ZeroOrOne;
        Option<string?> config = CommonOptions.Config();
        config.Description = "the config whose admin: listen: is the address, when HOST:PORT is not given "
            + "(default: config/pluggable-echo.yaml in the current folder, as run takes)";
        var command = new Command("reload", Description) { address, config };
        command.SetAction((parsed, cancel) => RunAsync(
            parsed.GetValue(address), parsed.GetValue(config), parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, cancel));
        return command;
    }

    private static async Task<int> RunAsync(IPEndPoint? address, string? configPath, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        IPEndPoint endpoint;
        try
        {
            if ((address ?? AdminSection.FindAddress(configPath)) is not { } found)
            {
                error.WriteLine(NoAdminEndpoint(configPath));
                return ExitCodes.Failed;
            }

            endpoint = found;
        }
        catch (StartupException e)
        {
            foreach (string problem in e.Problems)
            {
                error.WriteLine($"error: {problem}");
            }

            return ExitCodes.Failed;
        }

        return await SendAsync(endpoint, output, error, cancel).ConfigureAwait(false);
    }

    private static string NoAdminEndpoint(string? configPath) =>
        (configPath is null
            ? "error: no config file (config/pluggable-echo.yaml is not in the current folder), and the built-in defaults have no admin endpoint"
            : $"error: {configPath} has no admin endpoint")
        + " to ask for a reload: add admin: listen: 127.0.0.1:9090 to the server's config (it takes effect at the next start), "
        + "give the endpoint's HOST:PORT or --config FILE, or send SIGHUP to the server's process (kill -HUP <pid>)";

    /// <summary>Posts <c>/reload</c> and prints the answer: problems on <paramref name="error"/>, the rest on <paramref name="output"/>.</summary>
    internal static async Task<int> SendAsync(IPEndPoint endpoint, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // The linked token's, which tells a timeout from Ctrl+C.
        using var answered = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        answered.CancelAfter(AnswerTimeout);
        HttpStatusCode status;
        string reason;
        string body;
        try
        {
            using HttpResponseMessage response = await http.PostAsync(new Uri($"http://{endpoint}/reload"), content: null, answered.Token).ConfigureAwait(false);
            (status, reason) = (response.StatusCode, response.ReasonPhrase ?? "");
            body = await response.Content.ReadAsStringAsync(answered.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            error.WriteLine($"error: cannot reach the admin endpoint at {endpoint}: {Reason(e)}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            error.WriteLine($"error: the admin endpoint at {endpoint} did not answer within {AnswerTimeout.TotalSeconds:0} s; "
                + "the reload may still be under way: the server's log says how it ended");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: stopped waiting for the answer; the server goes on with the reload, and its log says how it ended");
            return ExitCodes.Failed;
        }

        string[] lines = body.EndsWith('\n') ? body[..^1].Split('\n') : body.Split('\n');
        bool understood = status switch
        {
            HttpStatusCode.OK => lines[0].StartsWith(Reloaded, StringComparison.Ordinal),
            HttpStatusCode.UnprocessableContent => lines[0].StartsWith(Failed, StringComparison.Ordinal),
            _ => false,
        };
        if (!understood)
        {
            error.WriteLine(Unexpected(endpoint, status, reason, lines[0]));
            return ExitCodes.Failed;
        }

        TextWriter to = output;
        foreach (string line in lines)
        {
            // A line that starts otherwise (a problem over several lines) goes where the one before it went.
            if (line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith(Failed, StringComparison.Ordinal))
            {
                to = error;
            }
            else if (line.StartsWith("warning: ", StringComparison.Ordinal) || line.StartsWith(Reloaded, StringComparison.Ordinal))
            {
                to = output;
            }

            to.WriteLine(line);
        }

        return status == HttpStatusCode.OK ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>One line: what answered, and what it said.</summary>
    private static string Unexpected(IPEndPoint endpoint, HttpStatusCode status, string reason, string firstLine)
    {
        string said = firstLine.Length > 200 ? firstLine[..200] + "…" : firstLine;
        string hint = status switch
        {
            HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed => " (a server from before POST /reload, or not this server's admin endpoint?)",
            _ => "",
        };
        return $"error: the admin endpoint at {endpoint} answered {(int)status} {reason}{(said.Length > 0 ? $": {said}" : "")}{hint}";
    }

    /// <summary>The socket's own words when there is a socket error (<c>Connection refused</c>), else the request's.</summary>
    private static string Reason(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.Message;
            }
        }

        return e.Message;
    }
}

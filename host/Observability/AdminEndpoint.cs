using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Reload;

namespace PluggableEcho.Host.Observability;

/// <summary>
/// The admin endpoint: <c>GET /metrics</c> (Prometheus text), <c>/healthz</c>, <c>/readyz</c>,
/// <c>/config</c>, <c>POST /drain</c> and <c>POST /reload</c>. Kestrel serves it on the thread
/// pool, so a slow scrape never holds up an event loop, and a reload runs on a thread of its own.
/// </summary>
/// <remarks>
/// <c>POST /reload</c> answers in plain text, a line each:
/// <list type="bullet">
/// <item>200: <c>reloaded: generation N</c>, then <c>  &lt;change&gt;</c> per change or
/// <c>  nothing changed</c>, then <c>warning: …</c> per warning;</item>
/// <item>422: <c>reload failed: generation N goes on unchanged</c>, then <c>error: …</c> per
/// problem, then <c>warning: …</c> per warning;</item>
/// <item>501 and one line when the server was started without a way to reload (the route is
/// there, so not 404: the address is right, this server cannot do it);</item>
/// <item>500 and one line if the reload itself threw (a bug; the server logs it).</item>
/// </list>
/// </remarks>
internal sealed partial class AdminEndpoint : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly WebApplication _app;

    private AdminEndpoint(WebApplication app, IPEndPoint localEndPoint)
    {
        _app = app;
        LocalEndPoint = localEndPoint;
    }

    /// <summary>The address bound: with port 0, the port the system picked.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <param name="reload">What <c>POST /reload</c> runs: synchronous, it serialises concurrent
    /// reloads itself, and reports its problems in its outcome rather than by throwing. Null: the
    /// route answers 501.</param>
    /// <exception cref="IOException">The address cannot be bound (in use, say); the message names it.</exception>
    public static AdminEndpoint Start(
        AdminOptions options, ServerStatus status, PrometheusText metrics, Func<RunningConfig> config, ILoggerFactory loggerFactory, Func<ReloadOutcome>? reload)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(options.Listen));
        builder.Services.AddRoutingCore();

        // Warnings and errors only: ASP.NET Core logs every request at Information, and a probe
        // or a scrape every second is no news. Its host's own start-up failure is not logged:
        // Start reports it, in one line.
        builder.Services.AddSingleton<ILoggerFactory>(new WarningsOnly(loggerFactory));
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton<IHostLifetime, NoLifetime>(); // Signals are the server's to handle.
        WebApplication app = builder.Build();

        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => Readyz(status));
        app.MapGet("/metrics", () => Results.Text(metrics.Scrape(), PrometheusText.ContentType));
        app.MapGet("/config", () => Results.Text(JsonSerializer.Serialize(config(), Json) + "\n", "application/json"));
        app.MapPost("/drain", () =>
        {
            status.MarkDraining();
            return Results.Text("draining: /readyz answers 503 from now on; the server serves its clients until it stops\n");
        });
        ILogger logger = loggerFactory.CreateLogger(typeof(AdminEndpoint).FullName!);
        app.MapPost("/reload", () => Reload(reload, logger));

        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
        {
            ((IDisposable)app).Dispose();
            throw new IOException($"admin: listen: {options.Listen}: {e.Message}", e);
        }

        var bound = new Uri(app.Urls.First());
        IPEndPoint local = new(options.Listen.Address, bound.Port);
        return new AdminEndpoint(app, local);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary><c>ready</c>; else 503 and why not: <c>starting</c>, <c>draining</c>, or a line <c>faulted: …</c> per fault.</summary>
    private static IResult Readyz(ServerStatus status)
    {
        Readiness readiness = status.Readiness;
        IReadOnlyList<string> faults = status.Faults;
        return readiness switch
        {
            Readiness.Ready => Results.Text("ready\n"),
            Readiness.Faulted when faults.Count > 0 => Results.Text(string.Concat(faults.Select(fault => $"faulted: {fault}\n")), statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => Results.Text($"{readiness.ToString().ToLowerInvariant()}\n", statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }

    /// <summary>Runs the reload off the request thread (it may take a second or two) and answers its outcome.</summary>
    private static async Task<IResult> Reload(Func<ReloadOutcome>? reload, ILogger logger)
    {
        if (reload is null)
        {
            return Results.Text("reload is not available: this server was started without a way to reload its config\n",
                statusCode: StatusCodes.Status501NotImplemented);
        }

        ReloadOutcome outcome;
        try
        {
            outcome = await Task.Run(reload).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever a bug throws, the caller gets one line, the log the rest.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ReloadThrew(logger, e);
            return Results.Text($"reload failed unexpectedly: {e.GetType().Name}: {e.Message} (the server's log has more)\n",
                statusCode: StatusCodes.Status500InternalServerError);
        }

        return Results.Text(FormatReload(outcome), statusCode: outcome.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "POST /reload: the reload threw instead of reporting its problems")]
    private static partial void ReloadThrew(ILogger logger, Exception exception);

    /// <summary>The body of <c>POST /reload</c>'s answer: see the class's remarks.</summary>
    internal static string FormatReload(ReloadOutcome outcome)
    {
        var text = new System.Text.StringBuilder();
        if (outcome.Succeeded)
        {
            text.Append(CultureInfo.InvariantCulture, $"reloaded: generation {outcome.Generation}\n");
            foreach (string change in outcome.Changes.DefaultIfEmpty("nothing changed"))
            {
                text.Append("  ").Append(change).Append('\n');
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"reload failed: generation {outcome.Generation} goes on unchanged\n");
            foreach (string problem in outcome.Problems)
            {
                text.Append("error: ").Append(problem).Append('\n');
            }
        }

        foreach (string warning in outcome.Warnings)
        {
            text.Append("warning: ").Append(warning).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The host's loggers, for warnings and worse only, and none for the web host itself.</summary>
    private sealed class WarningsOnly(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) =>
            categoryName.StartsWith("Microsoft.Extensions.Hosting", StringComparison.Ordinal)
                ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance
                : new Filtered(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose()
        {
            // The host's: it disposes it.
        }

        private sealed class Filtered(ILogger logger) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => logger.BeginScope(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logger.IsEnabled(logLevel);

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                {
                    logger.Log(logLevel, eventId, state, exception, formatter);
                }
            }
        }
    }

    /// <summary>Neither waits for nor handles signals: the server's own lifetime does.</summary>
    private sealed class NoLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

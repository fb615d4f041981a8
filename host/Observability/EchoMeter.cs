using System.Diagnostics.Metrics;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Host.Observability;

/// <summary>
/// The server's instruments, on the meter <c>PluggableEcho</c>: observable ones that read what the
/// loops count in their own fields, so that the hot path pays an increment and no contention, and
/// the cost of reading falls on whoever collects (a scrape, <c>dotnet-counters</c>). Names follow
/// OpenTelemetry's conventions: dotted, the unit apart, no <c>_total</c> (exporters add it).
/// </summary>
internal sealed class EchoMeter : IDisposable
{
    public const string MeterName = "PluggableEcho";

    private readonly Meter _meter = new(MeterName, typeof(EchoMeter).Assembly.GetName().Version?.ToString());
    private readonly EchoServer _server;
    private readonly Func<IEnumerable<StepFailures>> _stepFailures;

    /// <param name="stepFailures">How often each step of each running pipeline has failed.</param>
    /// <param name="reloads">What the reloads come to; none: a server that does not reload.</param>
    public EchoMeter(EchoServer server, Func<IEnumerable<StepFailures>> stepFailures, Func<ReloadFigures>? reloads = null)
    {
        _server = server;
        _stepFailures = stepFailures;
        if (reloads is not null)
        {
            _meter.CreateObservableGauge("pluggable_echo.config.generation", () => (long)reloads().Generation, "{generation}",
                "The configuration generation new connections get: 1 at start, one more per reload");
            _meter.CreateObservableUpDownCounter("pluggable_echo.config.generations_live", () => (long)reloads().Live, "{generation}",
                "Generations some connection still uses, the running one included");
            _meter.CreateObservableCounter("pluggable_echo.reload.count", () => ReloadCounts(reloads()), "{reload}", "Reloads, by result");
        }

        _meter.CreateObservableUpDownCounter("pluggable_echo.connection.active", () => PerListener(c => c.Open), "{connection}", "Connections open now");
        _meter.CreateObservableCounter("pluggable_echo.connection.accepted", () => PerListener(c => c.Accepted), "{connection}", "Connections accepted");
        _meter.CreateObservableCounter("pluggable_echo.connection.rejected", Rejected, "{connection}", "Connections refused after accept, by reason");
        _meter.CreateObservableCounter("pluggable_echo.connection.closed", Closed, "{connection}", "Connections closed, by the cause of their end");
        _meter.CreateObservableUpDownCounter("pluggable_echo.connection.read_paused", () => PerListener(c => c.ReadingPaused), "{connection}",
            "Connections not read from now: their unsent output is at limits.output_buffer_bytes");
        _meter.CreateObservableCounter("pluggable_echo.read.pauses", () => PerListener(c => c.ReadPauses), "{pause}", "Times reading stopped for backpressure");
        _meter.CreateObservableCounter("pluggable_echo.message.received", () => PerListener(c => c.MessagesReceived), "{message}", "Messages framed and run through the pipeline");
        _meter.CreateObservableCounter("pluggable_echo.message.replied", () => PerListener(c => c.MessagesReplied), "{message}", "Messages answered");
        _meter.CreateObservableCounter("pluggable_echo.message.dropped", () => PerListener(c => c.MessagesDropped), "{message}", "Messages answered with nothing (a step or on_error: drop)");
        _meter.CreateObservableCounter("pluggable_echo.message.oversize", () => PerListener(c => c.MessagesOversize), "{message}", "Messages over limits.max_message_bytes");
        _meter.CreateObservableCounter("pluggable_echo.network.io", NetworkIo, "By", "Bytes received from and sent to clients");
        _meter.CreateObservableCounter("pluggable_echo.step.failures", StepFailureCounts, "{failure}", "Messages a step failed on, by step and on_error policy");
        _meter.CreateObservableCounter("pluggable_echo.loop.busy.time", LoopBusy, "s", "Time each event loop spent working rather than waiting");
        _meter.CreateObservableUpDownCounter("pluggable_echo.buffer.held", () => PerLoop(budget => budget.Held), "By",
            "What connections' buffers (unfinished input, unsent output) hold, by loop");
        _meter.CreateObservableUpDownCounter("pluggable_echo.buffer.limit", () => PerLoop(budget => budget.Limit), "By",
            "Each loop's share of limits.max_buffered_bytes");
        _meter.CreateObservableGauge("pluggable_echo.loop.stuck", LoopStuck, "{loop}", "1 while the event loop has been in one step longer than limits.step_timeout, else 0");
    }

    /// <summary>For a listener of its own (a test) that wants this server's instruments only.</summary>
    internal Meter Meter => _meter;

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    /// <summary>Each listener's figure, summed over the loops that serve it.</summary>
    private IEnumerable<Measurement<long>> PerListener(Func<ListenerCounters, long> figure) =>
        Listeners().Select(l => new Measurement<long>(l.Counters.Sum(figure), Tag("listener", l.Name)));

    private IEnumerable<Measurement<long>> Rejected() => Listeners().SelectMany(l => new[]
    {
        new Measurement<long>(l.Counters.Sum(c => c.RejectedMaxConnections), Tag("listener", l.Name), Tag("reason", "max_connections")),
        new Measurement<long>(l.Counters.Sum(c => c.RejectedMaxConnectionsPerIp), Tag("listener", l.Name), Tag("reason", "max_connections_per_ip")),
        new Measurement<long>(l.Counters.Sum(c => c.RejectedOpenFailed), Tag("listener", l.Name), Tag("reason", "open_failed")),
        new Measurement<long>(l.Counters.Sum(c => c.RejectedShutdown), Tag("listener", l.Name), Tag("reason", "shutdown")),
    });

    private IEnumerable<Measurement<long>> Closed() => Listeners().SelectMany(l => CloseReasons.All.Select(reason =>
        new Measurement<long>(l.Counters.Sum(c => c.Closed[(int)reason]), Tag("listener", l.Name), Tag("reason", CloseReasons.Label(reason)))));

    private IEnumerable<Measurement<long>> NetworkIo() => Listeners().SelectMany(l => new[]
    {
        new Measurement<long>(l.Counters.Sum(c => c.BytesReceived), Tag("listener", l.Name), Tag("network.io.direction", "receive")),
        new Measurement<long>(l.Counters.Sum(c => c.BytesSent), Tag("listener", l.Name), Tag("network.io.direction", "transmit")),
    });

    private IEnumerable<Measurement<long>> StepFailureCounts() => _stepFailures()
        .GroupBy(s => (s.Listener, s.Step, s.Policy))
        .Select(g => new Measurement<long>(g.Sum(s => s.Count), Tag("listener", g.Key.Listener), Tag("step", g.Key.Step), Tag("policy", g.Key.Policy)));

    private static Measurement<long>[] ReloadCounts(ReloadFigures figures) =>
    [
        new(figures.Reloaded, Tag("result", "reloaded")),
        new(figures.Failed, Tag("result", "failed")),
    ];

    private IEnumerable<Measurement<double>> LoopBusy() =>
        _server.Loops.Select(loop => new Measurement<double>(loop.Busy.TotalSeconds, Tag("loop", loop.Name)));

    private IEnumerable<Measurement<long>> PerLoop(Func<Buffers.BufferBudget, long> figure) =>
        _server.Loops.Select(loop => new Measurement<long>(figure(loop.Context.Memory.Budget), Tag("loop", loop.Name)));
    private IEnumerable<Measurement<long>> LoopStuck() =>
        _server.Loops.Select(loop => new Measurement<long>(_server.Watchdog.IsStuck(loop) ? 1 : 0, Tag("loop", loop.Name)));

    private IEnumerable<(string Name, ListenerCounters[] Counters)> Listeners() => _server.Loops
        .SelectMany(loop => loop.Listeners)
        .GroupBy(listener => listener.Options.Name)
        .Select(g => (g.Key, g.Select(listener => listener.Counters).ToArray()));
}

/// <summary>How often one step of one pipeline has failed, under the policy it runs with.</summary>
internal readonly record struct StepFailures(string Listener, string Step, string Policy, long Count);

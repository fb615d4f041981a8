using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace PluggableEcho.Host.Observability;

/// <summary>
/// Writes the instruments of one meter in Prometheus's text exposition format (version 0.0.4),
/// collecting them at each scrape. The server's instruments are all observable, so a scrape is a
/// read of the loops' counters and nothing accumulates between scrapes. Names are converted as
/// OpenTelemetry's Prometheus exporter converts them: dots to underscores, the unit as a suffix
/// (<c>By</c> → <c>_bytes</c>, <c>s</c> → <c>_seconds</c>), <c>_total</c> after a counter's.
/// </summary>
internal sealed class PrometheusText : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly object _gate = new();
    private readonly MeterListener _listener = new();
    private readonly List<Instrument> _instruments = [];
    private readonly Dictionary<Instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)>> _collected = [];

    public PrometheusText(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                lock (_gate)
                {
                    _instruments.Add(instrument);
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_gate)
            {
                _instruments.Remove(instrument); // Its meter was disposed.
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Collect(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Collect(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Collects every instrument now and writes them out. Safe from any thread; scrapes take turns.</summary>
    public string Scrape()
    {
        lock (_gate)
        {
            _collected.Clear();
            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (Instrument instrument in _instruments)
            {
                Write(text, instrument, _collected.GetValueOrDefault(instrument) ?? []);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The name a Prometheus server sees for an instrument.</summary>
    public static string NameOf(Instrument instrument)
    {
        string name = Sanitize(instrument.Name);
        string unit = instrument.Unit switch
        {
            "By" => "_bytes",
            "s" => "_seconds",
            null or "" or ['{', .., '}'] => "",
            var other => "_" + Sanitize(other),
        };
        if (!name.EndsWith(unit, StringComparison.Ordinal))
        {
            name += unit;
        }

        return IsCounter(instrument) ? name + "_total" : name;
    }

    private void Collect<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        // Called back during RecordObservableInstruments, under the lock Scrape holds.
        if (!_collected.TryGetValue(instrument, out var points))
        {
            _collected[instrument] = points = [];
        }

        points.Add((Convert.ToDouble(value, CultureInfo.InvariantCulture), tags.ToArray()));
    }

    private static void Write(StringBuilder text, Instrument instrument, List<(double Value, KeyValuePair<string, object?>[] Tags)> points)
    {
        string name = NameOf(instrument);
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(IsCounter(instrument) ? "counter" : "gauge").Append('\n');
        foreach ((double value, KeyValuePair<string, object?>[] tags) in points)
        {
            text.Append(name);
            if (tags.Length > 0)
            {
                text.Append('{');
                text.AppendJoin(',', tags.Select(tag => $"{Sanitize(tag.Key)}=\"{EscapeLabel(tag.Value?.ToString() ?? "")}\""));
                text.Append('}');
            }

            text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static bool IsCounter(Instrument instrument) =>
        instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() is var definition
        && (definition == typeof(ObservableCounter<>) || definition == typeof(Counter<>));

    private static string Sanitize(string name) =>
        string.Concat(name.Select((c, i) => char.IsAsciiLetterOrDigit(c) && !(i == 0 && char.IsAsciiDigit(c)) || c == '_' ? c : '_'));

    private static string EscapeHelp(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabel(string text) => EscapeHelp(text).Replace("\"", "\\\"", StringComparison.Ordinal);
}

using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PluggableEcho.Tests.Support;

/// <summary>Reads one meter's observable instruments on demand, as an exporter would.</summary>
internal sealed class MetricsReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, double> _values = [];

    public MetricsReader(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _values[Key(instrument.Name, tags)] = value);
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _values[Key(instrument.Name, tags)] = value);
        _listener.Start();
    }

    /// <summary>An instrument's value now, for the measurement with exactly these tags (besides <c>listener</c>).</summary>
    /// <param name="tags">Such as <c>reason=oversize</c>.</param>
    public double Read(string instrument, params string[] tags)
    {
        lock (_values)
        {
            _values.Clear();
            _listener.RecordObservableInstruments();
            string key = instrument + "|" + string.Join(",", tags.Order(StringComparer.Ordinal));
            return _values.TryGetValue(key, out double value) ? value : throw new KeyNotFoundException($"no measurement {key}; there are: {string.Join("; ", _values.Keys)}");
        }
    }

    /// <summary>Waits, within the time a test allows, for the server to catch up with what a client did.</summary>
    public double ReadWhen(string instrument, Func<double, bool> condition, params string[] tags)
    {
        var clock = Stopwatch.StartNew();
        double value;
        while (!condition(value = Read(instrument, tags)) && clock.Elapsed < TestClient.Timeout)
        {
            Thread.Yield();
        }

        return value;
    }

    public void Dispose() => _listener.Dispose();

    private static string Key(string instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var named = new List<string>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key != "listener" && tag.Key != "loop")
            {
                named.Add($"{tag.Key}={tag.Value}");
            }
        }

        return instrument + "|" + string.Join(",", named.Order(StringComparer.Ordinal));
    }
}

using System.Globalization;

namespace PluggableEcho.Host.Client;

/// <summary>One scrape of a Prometheus text exposition, read back: each sample by name and labels.</summary>
internal sealed class MetricsText
{
    private readonly List<(string Name, string Labels, double Value)> _samples;

    private MetricsText(List<(string, string, double)> samples) => _samples = samples;

    public static MetricsText Parse(string text)
    {
        var samples = new List<(string, string, double)>();
        foreach (string line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int valueAt = line.LastIndexOf(' ');
            int labelsAt = line.IndexOf('{', StringComparison.Ordinal);
            if (valueAt <= 0 || !double.TryParse(line.AsSpan(valueAt + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            {
                continue; // Not a sample we can read; a newer server may write more.
            }

            string name = labelsAt > 0 && labelsAt < valueAt ? line[..labelsAt] : line[..valueAt];
            string labels = labelsAt > 0 && labelsAt < valueAt ? line[(labelsAt + 1)..line.LastIndexOf('}', valueAt)] : "";
            samples.Add((name, labels, value));
        }

        return new MetricsText(samples);
    }

    /// <summary>A metric summed over all its samples, or over those whose labels contain <paramref name="label"/>.</summary>
    /// <param name="label">Such as <c>reason="oversize"</c>.</param>
    public double Sum(string name, string? label = null) => _samples
        .Where(s => s.Name == name && (label is null || s.Labels.Contains(label, StringComparison.Ordinal)))
        .Sum(s => s.Value);

    /// <summary>Each sample's labels and value, for a metric broken down by a label.</summary>
    public IEnumerable<(string Labels, double Value)> Samples(string name) =>
        _samples.Where(s => s.Name == name).Select(s => (s.Labels, s.Value));
}

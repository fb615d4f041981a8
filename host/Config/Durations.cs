using System.Globalization;

namespace PluggableEcho.Host.Config;

/// <summary>Durations as people write them in config files: <c>50us</c>, <c>500ms</c>, <c>30s</c>, <c>5m</c>,
/// <c>1h</c>, <c>0</c>, or .NET's <c>00:00:30</c>; and shown the same way.</summary>
internal static class Durations
{
    // "ms" and "us" before "s" and "m": the longest suffix must win.
    private static readonly (string Unit, double Milliseconds)[] Units = [("ms", 1), ("us", 0.001), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

    private static readonly (string Unit, long Ticks)[] LargestFirst =
        [.. Units.OrderByDescending(u => u.Milliseconds).Select(u => (u.Unit, (long)Math.Round(u.Milliseconds * TimeSpan.TicksPerMillisecond)))];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        text = text.Trim();
        foreach ((string unit, double milliseconds) in Units)
        {
            if (text.EndsWith(unit, StringComparison.Ordinal)
                && double.TryParse(text.AsSpan(0, text.Length - unit.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double amount))
            {
                double total = amount * milliseconds;
                if (!double.IsFinite(total) || total >= TimeSpan.MaxValue.TotalMilliseconds)
                {
                    break;
                }

                duration = TimeSpan.FromMilliseconds(total);
                return true;
            }
        }

        if (text == "0")
        {
            duration = TimeSpan.Zero;
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
    }

    /// <summary>
    /// The way a config writes <paramref name="duration"/>, in the largest unit that holds it
    /// whole: <c>50ms</c>, <c>10s</c>, <c>5m</c>, <c>0</c>; <c>1500ms</c> rather than <c>1.5s</c>.
    /// What <see cref="TryParse"/> reads back as the same duration.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0";
        }

        foreach ((string unit, long ticks) in LargestFirst)
        {
            if (duration.Ticks % ticks == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / ticks}{unit}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMicroseconds:0.#}us"); // Under 1us: ticks.
    }
}

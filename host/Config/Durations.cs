using System.Globalization;

namespace PluggableEcho.Host.Config;

/// <summary>Durations as people write them in config files: <c>50us</c>, <c>500ms</c>, <c>30s</c>, <c>5m</c>,
/// <c>1h</c>, <c>0</c>, or .NET's <c>00:00:30</c>.</summary>
internal static class Durations
{
    // "ms" and "us" before "s" and "m": the longest suffix must win.
    private static readonly (string Unit, double Milliseconds)[] Units = [("ms", 1), ("us", 0.001), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];

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
}

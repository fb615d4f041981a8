using PluggableEcho.Host.Config;

namespace PluggableEcho.Tests.Config;

public sealed class DurationsTests
{
    [TestCase("250ms", 250)]
    [TestCase("1.5s", 1500)]
    [TestCase("30s", 30_000)]
    [TestCase("5m", 300_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("0", 0)]
    [TestCase("00:00:02", 2000)]
    public void Durations_are_read_as_people_write_them(string text, int milliseconds)
    {
        Assert.That(Durations.TryParse(text, out TimeSpan duration), Is.True);
        Assert.That(duration, Is.EqualTo(TimeSpan.FromMilliseconds(milliseconds)));
    }

    [TestCase("00:00:00.05", "50ms")]
    [TestCase("1.5s", "1500ms")]
    [TestCase("120s", "2m")]
    [TestCase("90s", "90s")]
    [TestCase("10s", "10s")]
    [TestCase("3h", "3h")]
    [TestCase("50us", "50us")]
    [TestCase("0.5us", "0.5us")]
    [TestCase("0", "0")]
    public void Durations_are_shown_as_a_config_writes_them_and_read_back_the_same(string written, string shown)
    {
        Assert.That(Durations.TryParse(written, out TimeSpan duration), Is.True);
        Assert.That(Durations.Format(duration), Is.EqualTo(shown));
        Assert.That(Durations.TryParse(shown, out TimeSpan again) && again == duration, Is.True, "read back");
    }

    [TestCase("soon")]
    [TestCase("5 parsecs")]
    [TestCase("-1s")]
    [TestCase("-00:00:01")]
    [TestCase("")]
    public void Anything_else_is_not_a_duration(string text) =>
        Assert.That(Durations.TryParse(text, out _), Is.False);
}

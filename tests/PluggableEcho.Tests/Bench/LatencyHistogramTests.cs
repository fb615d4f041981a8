using PluggableEcho.Host.Bench;

namespace PluggableEcho.Tests.Bench;

public sealed class LatencyHistogramTests
{
    [Test]
    public void Percentiles_are_within_a_bucket_of_the_truth()
    {
        var histogram = new LatencyHistogram();
        for (int microseconds = 1; microseconds <= 1000; microseconds++)
        {
            histogram.Record(microseconds * 1000L);
        }

        Assert.That(histogram.Count, Is.EqualTo(1000));
        Assert.That(histogram.PercentileMicroseconds(0.50), Is.EqualTo(500).Within(7).Percent);
        Assert.That(histogram.PercentileMicroseconds(0.99), Is.EqualTo(990).Within(7).Percent);
        Assert.That(histogram.PercentileMicroseconds(1.0), Is.EqualTo(1000).Within(7).Percent);
    }

    [Test]
    public void Small_and_huge_values_are_kept_apart()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(-5);
        histogram.Record(3);
        histogram.Record(long.MaxValue / 2);

        Assert.That(histogram.PercentileMicroseconds(0.5), Is.LessThan(0.01));
        Assert.That(histogram.PercentileMicroseconds(1.0), Is.GreaterThan(1e12));
    }

    [Test]
    public void Added_histograms_count_both()
    {
        var one = new LatencyHistogram();
        var other = new LatencyHistogram();
        one.Record(1_000);
        other.Record(1_000_000);

        one.Add(other);

        Assert.That(one.Count, Is.EqualTo(2));
        Assert.That(one.PercentileMicroseconds(1.0), Is.EqualTo(1000).Within(7).Percent);
    }

    [Test]
    public void The_maximum_is_exact_and_follows_add_and_clear()
    {
        var histogram = new LatencyHistogram();
        Assert.That(histogram.MaxMicroseconds, Is.Zero, "none recorded");

        histogram.Record(-5);
        Assert.That(histogram.MaxMicroseconds, Is.Zero, "a negative value counts as zero");
        histogram.Record(123_456);
        histogram.Record(7_000);
        Assert.That(histogram.MaxMicroseconds, Is.EqualTo(123.456), "the value itself, not its bucket's edge");

        var other = new LatencyHistogram();
        other.Record(2_500_000);
        histogram.Add(other);
        Assert.That(histogram.MaxMicroseconds, Is.EqualTo(2500));
        other.Add(new LatencyHistogram());
        Assert.That(other.MaxMicroseconds, Is.EqualTo(2500), "adding an empty one keeps it");

        histogram.Clear();
        Assert.That(histogram.MaxMicroseconds, Is.Zero, "cleared with the counts (after the warm-up)");
    }
}

using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Logging;

namespace PluggableEcho.Tests.Logging;

public sealed class EventBudgetTests
{
    private long _now;

    [Test]
    public void Each_kind_of_event_gets_its_lines_per_window_and_the_rest_are_counted_once_it_is_over()
    {
        var budget = new EventBudget(3, TimeSpan.FromSeconds(1), () => _now);

        bool[] taken = [.. Enumerable.Range(0, 10).Select(i => budget.TryTake("step", 200, i == 9 ? LogLevel.Error : LogLevel.Warning))];
        Assert.That(taken.Count(t => t), Is.EqualTo(3));
        Assert.That(budget.TryTake("step", 201), Is.True, "another event id has a budget of its own");
        Assert.That(budget.TryTake("other", 200), Is.True, "so has another category");
        Assert.That(budget.TakeSuppressed(), Is.Empty, "not before the window is over");

        _now += 1000;

        var summary = budget.TakeSuppressed().Single();
        Assert.That(summary, Is.EqualTo(("step", 200, 7L, LogLevel.Error)), "the highest level among them");
        Assert.That(budget.TryTake("step", 200), Is.True, "a new window");
        Assert.That(budget.TakeSuppressed(), Is.Empty, "said once");
    }

    [Test]
    public void At_the_end_what_was_suppressed_is_said_before_its_window_is_over()
    {
        var budget = new EventBudget(1, TimeSpan.FromSeconds(1), () => _now);
        budget.TryTake("step", 200);
        budget.TryTake("step", 200);

        Assert.That(budget.TakeSuppressed(), Is.Empty);
        Assert.That(budget.TakeSuppressed(all: true).Single().Suppressed, Is.EqualTo(1));
    }
}

using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Networking;

public sealed class TimerQueueTests
{
    [Test]
    public void Timers_fire_earliest_first_and_only_once_due()
    {
        var queue = new TimerQueue();
        var fired = new List<string>();
        var late = new LoopTimer(() => fired.Add("late"));
        var early = new LoopTimer(() => fired.Add("early"));
        var middle = new LoopTimer(() => fired.Add("middle"));
        queue.Schedule(late, 300);
        queue.Schedule(early, 100);
        queue.Schedule(middle, 200);

        queue.RunDue(99);
        Assert.That(fired, Is.Empty);
        Assert.That(queue.NextDue, Is.EqualTo(100));

        queue.RunDue(250);
        Assert.That(fired, Is.EqualTo(new[] { "early", "middle" }));
        Assert.That(queue.NextDue, Is.EqualTo(300));
    }

    [Test]
    public void A_cancelled_timer_never_fires_and_a_moved_one_fires_at_its_new_time()
    {
        var queue = new TimerQueue();
        var fired = new List<string>();
        var cancelled = new LoopTimer(() => fired.Add("cancelled"));
        var moved = new LoopTimer(() => fired.Add("moved"));
        queue.Schedule(cancelled, 100);
        queue.Schedule(moved, 100);

        queue.Cancel(cancelled);
        queue.Schedule(moved, 500);
        queue.RunDue(400);
        Assert.That(fired, Is.Empty);

        queue.RunDue(500);
        Assert.That(fired, Is.EqualTo(new[] { "moved" }));
        Assert.That((queue.Count, queue.NextDue), Is.EqualTo((0, long.MaxValue)));
    }

    [Test]
    public void A_timer_that_schedules_itself_again_when_due_waits_for_the_next_turn()
    {
        var queue = new TimerQueue();
        int fired = 0;
        LoopTimer? timer = null;
        timer = new LoopTimer(() =>
        {
            fired++;
            queue.Schedule(timer!, 0);
        });
        queue.Schedule(timer, 0);

        queue.RunDue(10);

        Assert.That(fired, Is.EqualTo(1));
        Assert.That(timer.IsScheduled, Is.True);
    }

    [Test]
    public void Many_timers_in_random_order_fire_sorted_by_due_time()
    {
        var random = new Random(7);
        var queue = new TimerQueue();
        var fired = new List<long>();
        var timers = new List<LoopTimer>();
        for (int i = 0; i < 1000; i++)
        {
            LoopTimer? timer = null;
            timer = new LoopTimer(() => fired.Add(timer!.Due));
            timers.Add(timer);
            queue.Schedule(timer, random.Next(10_000));
        }

        // Some cancelled, some moved: the heap must stay a heap through both.
        foreach (LoopTimer timer in timers.Where((_, i) => i % 3 == 0))
        {
            queue.Cancel(timer);
        }

        foreach (LoopTimer timer in timers.Where((_, i) => i % 3 == 1))
        {
            queue.Schedule(timer, random.Next(10_000));
        }

        queue.RunDue(10_000);

        Assert.That(fired, Has.Count.EqualTo(timers.Count - ((timers.Count + 2) / 3)));
        Assert.That(fired, Is.Ordered);
    }
}

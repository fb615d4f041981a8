using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Networking;

public sealed class PostedWorkTests
{
    [Test]
    public void Work_runs_in_the_order_it_was_posted()
    {
        var work = new PostedWork();
        var ran = new List<int>();

        for (int i = 0; i < 5; i++)
        {
            int item = i;
            Assert.That(work.TryPost(() => ran.Add(item)), Is.True);
        }

        work.RunPending();

        Assert.That(ran, Is.EqualTo(new[] { 0, 1, 2, 3, 4 }));
    }

    [Test]
    public void After_close_work_is_refused_and_what_was_accepted_has_run()
    {
        var work = new PostedWork();
        bool ran = false;
        work.TryPost(() => ran = true);

        work.Close();

        Assert.That(ran, Is.True, "accepted before the close");
        Assert.That(work.TryPost(() => Assert.Fail("ran after the close")), Is.False);
        work.RunPending();
    }

    [Test]
    public void An_item_that_throws_does_not_keep_the_others_from_running()
    {
        var work = new PostedWork();
        bool ranAfter = false;
        work.TryPost(() => throw new InvalidOperationException("a bug"));
        work.TryPost(() => ranAfter = true);

        Assert.That(work.RunPending, Throws.InvalidOperationException);
        Assert.That(ranAfter, Is.True);
    }

    /// <summary>
    /// A post racing the loop's end is either run by the loop or refused to the poster, never
    /// lost between the two: what a client handed over to a loop as it ends depends on. A queue
    /// beside a volatile flag loses some of these (store-load reordering); the lock does not.
    /// </summary>
    [Test]
    public void A_post_racing_the_close_is_run_or_refused_never_lost()
    {
        const int rounds = 50_000;
        var barrier = new Barrier(2);
        var works = new PostedWork[rounds];
        var accepted = new bool[rounds];
        var ran = new int[rounds];
        for (int i = 0; i < rounds; i++)
        {
            works[i] = new PostedWork();
        }

        var poster = new Thread(() =>
        {
            for (int i = 0; i < rounds; i++)
            {
                int round = i;
                barrier.SignalAndWait();
                accepted[round] = works[round].TryPost(() => ran[round]++);
            }
        });
        poster.Start();
        for (int i = 0; i < rounds; i++)
        {
            barrier.SignalAndWait();
            works[i].Close();
        }

        Assert.That(poster.Join(TimeSpan.FromSeconds(60)), Is.True, "the poster finished");
        int lost = Enumerable.Range(0, rounds).Count(i => accepted[i] && ran[i] != 1);
        int runAfterRefusal = Enumerable.Range(0, rounds).Count(i => !accepted[i] && ran[i] != 0);
        Assert.That((lost, runAfterRefusal), Is.EqualTo((0, 0)));
    }
}

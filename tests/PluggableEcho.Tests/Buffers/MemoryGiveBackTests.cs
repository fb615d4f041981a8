using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Tests.Buffers;

public sealed class MemoryGiveBackTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Test]
    public void A_large_fall_in_what_buffers_hold_is_followed_by_one_collection_and_a_small_one_by_none()
    {
        var first = new BufferBudget(long.MaxValue);
        var second = new BufferBudget(long.MaxValue);
        using var giveBack = new MemoryGiveBack([first, second], NullLogger.Instance, TimeSpan.FromMilliseconds(20));

        first.Change(MemoryGiveBack.Drop);
        second.Change(MemoryGiveBack.Drop);
        LetItLook(giveBack); // It has seen the peak.
        first.Change(-MemoryGiveBack.Drop / 2);
        LetItLook(giveBack);
        Assert.That(giveBack.Collections, Is.Zero, "a fall of a quarter is no reason");

        second.Change(-MemoryGiveBack.Drop);
        LetItLook(giveBack, times: 12); // Two to be sure it is no passing dip; collections are ten looks apart.
        Assert.That(giveBack.Collections, Is.EqualTo(1));
        LetItLook(giveBack, times: 12);
        Assert.That(giveBack.Collections, Is.EqualTo(1), "once: the new level is the peak from now on");
    }

    /// <summary>Waits until it has looked this many more times after a look that saw the change before.</summary>
    private static void LetItLook(MemoryGiveBack giveBack, int times = 2)
    {
        int looks = giveBack.Looks;
        var clock = Stopwatch.StartNew();
        while (giveBack.Looks < looks + 1 + times && clock.Elapsed < Patience)
        {
            Thread.Sleep(5); // Polling a background timer's count: there is no event to wait on.
        }

        Assert.That(giveBack.Looks, Is.GreaterThanOrEqualTo(looks + 1 + times));
    }
}

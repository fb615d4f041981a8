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
        using var giveBack = new MemoryGiveBack([first, second], NullLogger.Instance);

        first.Change(MemoryGiveBack.Drop);
        second.Change(MemoryGiveBack.Drop);
        LetItLook(giveBack); // It has seen the peak.
        first.Change(-MemoryGiveBack.Drop / 2);
        LetItLook(giveBack);
        Assert.That(giveBack.Collections, Is.Zero, "a fall of a quarter is no reason");

        second.Change(-MemoryGiveBack.Drop);
        LetItLook(giveBack);
        Assert.That(giveBack.Collections, Is.EqualTo(1));
        LetItLook(giveBack);
        Assert.That(giveBack.Collections, Is.EqualTo(1), "once: the new level is the peak from now on");
    }

    /// <summary>Waits until it has looked again (about a second), and so seen the change before.</summary>
    private static void LetItLook(MemoryGiveBack giveBack)
    {
        int looks = giveBack.Looks;
        var clock = Stopwatch.StartNew();
        while (giveBack.Looks < looks + 2 && clock.Elapsed < Patience)
        {
            Thread.Sleep(20); // Polling a background timer's count: there is no event to wait on.
        }

        Assert.That(giveBack.Looks, Is.GreaterThanOrEqualTo(looks + 2));
    }
}

using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Tests.Buffers;

/// <summary>What a buffer costs: counted in its budget by array size, and no larger than its ceiling needs.</summary>
public sealed class ByteBufferTests
{
    [Test]
    public void Its_budget_counts_the_arrays_it_holds_and_nothing_once_released()
    {
        var budget = new BufferBudget(long.MaxValue);
        var buffer = new ByteBuffer(budget);

        buffer.Write(new byte[5000]);
        Assert.That(budget.Held, Is.EqualTo(buffer.Capacity).And.GreaterThanOrEqualTo(5000));
        buffer.Write(new byte[100_000]);
        Assert.That(budget.Held, Is.EqualTo(buffer.Capacity).And.GreaterThanOrEqualTo(105_000));
        buffer.Consume(104_000);
        buffer.Trim();
        Assert.That(budget.Held, Is.EqualTo(buffer.Capacity).And.EqualTo(4096), "a trimmed buffer counts what it kept");

        buffer.Release();
        Assert.That((budget.Held, buffer.Capacity), Is.EqualTo((0L, 0)));
    }

    [TestCase(100_000)]
    [TestCase(65_536)]
    [TestCase(5000)]
    public void Filled_to_its_ceiling_it_holds_exactly_the_ceiling(int ceiling)
    {
        var buffer = new ByteBuffer(ceiling: ceiling);
        for (int written = 0; written < ceiling; written += 999)
        {
            buffer.Write(new byte[Math.Min(999, ceiling - written)]);
        }

        Assert.That(buffer.Capacity, Is.EqualTo(ceiling));
        buffer.Release(); // An array not from the pool is not handed to it.
    }

    [Test]
    public void Under_4_KiB_a_ceiling_changes_nothing_a_pooled_array_is_as_small()
    {
        var buffer = new ByteBuffer(ceiling: 1026);
        buffer.Write(new byte[1000]);
        Assert.That(buffer.Capacity, Is.EqualTo(4096));
        buffer.Release();
    }

    [Test]
    public void A_write_that_would_take_a_pooled_array_past_the_ceiling_takes_the_ceiling()
    {
        var buffer = new ByteBuffer(ceiling: 100_000);
        buffer.Write(new byte[70_000]); // The pool's next size, 128 KiB, is past it.
        Assert.That(buffer.Capacity, Is.EqualTo(100_000));
        buffer.Release();
    }

    [Test]
    public void In_a_loop_s_budget_arrays_of_the_ceiling_s_size_are_kept_for_reuse()
    {
        var budget = new BufferBudget(long.MaxValue);
        var buffer = new ByteBuffer(budget, ceiling: 100_000);
        byte[] message = new byte[99_000];
        buffer.Write(message); // Its first time: the arrays are made.
        buffer.Release();

        long before = GC.GetAllocatedBytesForCurrentThread();
        buffer.Write(message);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(buffer.Capacity, Is.EqualTo(100_000));
        Assert.That(allocated, Is.Zero, "the ceiling's array came back from the pool");
        buffer.Release();
    }

    [Test]
    public void Just_past_its_ceiling_it_takes_an_eighth_more_and_beyond_it_grows_as_needed()
    {
        var buffer = new ByteBuffer(ceiling: 65_536);
        buffer.Write(new byte[65_000]);
        buffer.Write(new byte[2000]);
        Assert.That(buffer.Capacity, Is.EqualTo(65_536 + 8192));

        buffer.Write(new byte[200_000]);
        Assert.That(buffer.Capacity, Is.GreaterThanOrEqualTo(267_000));
        Assert.That(buffer.Length, Is.EqualTo(267_000));
        buffer.Release();
    }

    [Test]
    public void Its_budget_says_when_it_is_exceeded_and_when_it_is_not_any_more()
    {
        var changes = new List<bool>();
        var budget = new BufferBudget(10_000) { PressureChanged = changes.Add };
        var first = new ByteBuffer(budget);
        var second = new ByteBuffer(budget);

        first.Write(new byte[4000]);
        second.Write(new byte[4000]);
        Assert.That(budget.Exceeded, Is.False, "8 KiB of 10,000 bytes");
        first.Write(new byte[4000]);
        Assert.That(budget.Exceeded, Is.True);
        second.Release();
        first.Release();

        Assert.That(changes, Is.EqualTo(new[] { true, false }), "told once each way");
    }
}
